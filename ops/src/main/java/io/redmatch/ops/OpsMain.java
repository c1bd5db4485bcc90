package io.redmatch.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point of {@code ./redmatch ops}: one subcommand per operation. */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    version = "redmatch ops 0.1.0",
    description = "Operations on running redmatch nodes, over RESP.",
    subcommands = {StatusTool.class, FailoverTool.class, SnapshotTool.class})
public final class OpsMain implements Runnable
{
    /** The ops logging setup: problems only, on standard error, so standard output holds just the results. */
    static final String LOGBACK_CONFIG = "redmatch-ops-logback.xml";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        if (System.getProperty("logback.configurationFile") == null)
        {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        System.exit(execute(new PrintWriter(System.out, true), args));
    }

    /**
     * Runs an operation as the command line would, for tests.
     *
     * @param out  where its results go.
     * @param args the arguments after {@code ops}.
     * @return the exit code.
     */
    public static int execute(final PrintWriter out, final String... args)
    {
        return new CommandLine(new OpsMain()).setOut(out).execute(args);
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
