package io.redmatch.router;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

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
 * a test can {@code kill -9} it. Shared with the ops tests (router's test jar).
 */
public final class JvmProcess implements AutoCloseable
{
    private final Process process;
    private final Path output;

    private JvmProcess(final Process process, final Path output)
    {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts a main class with a 256 MiB heap.
     *
     * @param output where its standard output and error are appended.
     */
    public static JvmProcess start(final String mainClass, final Path output, final String... args) throws IOException
    {
        return start("256m", mainClass, output, args);
    }

    /**
     * Starts a main class.
     *
     * @param maxHeap its {@code -Xmx}, e.g. {@code 512m}.
     * @param output  where its standard output and error are appended.
     */
    public static JvmProcess start(final String maxHeap, final String mainClass, final Path output,
        final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
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

    public static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    /**
     * Waits until the process serves RESP on {@code port}: an engine node once it has recovered
     * ({@code loading:0} in {@code INFO persistence}), a router once it answers {@code PING}.
     */
    public void awaitServing(final int port) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true)
        {
            if (!process.isAlive())
            {
                throw new AssertionError("process exited with " + process.exitValue() + ":\n" + outputTail());
            }
            String state;
            try (Jedis jedis = new Jedis("127.0.0.1", port))
            {
                final String persistence = jedis.info("persistence");
                if (persistence.contains("loading:0") || persistence.isEmpty() && "PONG".equals(jedis.ping()))
                {
                    return;
                }
                state = persistence;
            }
            catch (final JedisException notYet)
            {
                state = notYet.toString();
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("not serving on " + port + " in time (" + state + "):\n" + outputTail());
            }
            Thread.sleep(50);
        }
    }

    public long pid()
    {
        return process.pid();
    }

    /**
     * Sends a signal by name (STOP, CONT) with kill(1); for STOP, waits until every thread of the process is stopped,
     * since on a busy machine a thread on a CPU may still run for a moment after the signal is sent.
     */
    public void signal(final String name) throws IOException, InterruptedException
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

    public boolean isAlive()
    {
        return process.isAlive();
    }

    public int exitValue()
    {
        return process.exitValue();
    }

    public boolean waitFor(final long seconds) throws InterruptedException
    {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** Kills the process with SIGKILL and waits until it is gone. */
    public void kill9() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("the process did not die");
        }
    }

    /** @return everything the process wrote so far. */
    public String output() throws IOException
    {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** @return the last 40 lines the process wrote. */
    public String outputTail()
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
