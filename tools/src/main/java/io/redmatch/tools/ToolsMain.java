package io.redmatch.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./redmatch tools}: one subcommand per tool. */
@Command(
    name = "tools",
    mixinStandardHelpOptions = true,
    version = "redmatch tools 0.1.0",
    description = "Operator tools for redmatch nodes and their data dirs.",
    subcommands = {LogDumpTool.class, SnapshotDumpTool.class, DigestCompareTool.class})
public final class ToolsMain implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The tools' logging setup: problems only, on standard error, so standard output holds just the results. */
    static final String LOGBACK_CONFIG = "redmatch-tools-logback.xml";

    public static void main(final String[] args)
    {
        if (System.getProperty("logback.configurationFile") == null)
        {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        System.exit(execute(args));
    }

    /**
     * Runs a tool as the command line would, for tests.
     *
     * @param args the arguments after {@code tools}.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        return new CommandLine(new ToolsMain()).execute(args);
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
