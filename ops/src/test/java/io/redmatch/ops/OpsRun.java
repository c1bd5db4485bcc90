package io.redmatch.ops;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What an {@code ./redmatch ops ...} command line printed and its exit code, run in the test's JVM. */
final class OpsRun
{
    final int code;
    final String output;

    private OpsRun(final int code, final String output)
    {
        this.code = code;
        this.output = output;
    }

    /** Runs the command line, echoes it and its output to the test log, and returns both. */
    static OpsRun ops(final String... args)
    {
        final StringWriter text = new StringWriter();
        final int code = OpsMain.execute(new PrintWriter(text, true), args);
        System.out.println("ops " + String.join(" ", args) + " -> " + code + "\n" + text);
        return new OpsRun(code, text.toString());
    }
}
