package io.redmatch.router;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class in a JVM of its own, from this test's class path with the same module flags and a small heap, so
 * a test can {@code kill -9} it.
 */
final class JvmProcess implements AutoCloseable
{
    private final Process process;
    private final Path output;

    private JvmProcess(final Process process, final Path output)
    {
        this.process = process;
        this.output = output;
    }

    static JvmProcess start(final String mainClass, final Path output, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports"))
            {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
            .start();
        return new JvmProcess(process, output);
    }

    static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    long pid()
    {
        return process.pid();
    }

    /**
     * Sends a signal by name (STOP, CONT) with kill(1); for STOP, waits until every thread of the process is stopped,
     * since on a busy machine a thread on a CPU may still run for a moment after the signal is sent.
     */
    void signal(final String name) throws IOException, InterruptedException
    {
        new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (!"STOP".equals(name))
        {
            return;
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!allThreadsStopped())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("process " + process.pid() + " did not stop");
            }
            Thread.sleep(10);
        }
    }

    private boolean allThreadsStopped() throws IOException
    {
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task")))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                final String stat = Files.readString(task.resolve("stat"));
                // the state follows the command name, which is in parentheses and may hold spaces
                final char state = stat.charAt(stat.lastIndexOf(')') + 2);
                if (state != 'T' && state != 't')
                {
                    return false;
                }
            }
            return true;
        }
        catch (final java.nio.file.NoSuchFileException gone)
        {
            return false;
        }
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    int exitValue()
    {
        return process.exitValue();
    }

    boolean waitFor(final long seconds) throws InterruptedException
    {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** Kills the process with SIGKILL and waits until it is gone. */
    void kill9() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("the process did not die");
        }
    }

    String outputTail()
    {
        try
        {
            final List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill9();
        }
    }
}
