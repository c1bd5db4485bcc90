package io.redmatch.ops;

import io.redmatch.engine.node.EngineNodeMain;
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
 * An engine node in a JVM of its own, from this test's class path with the same module flags and a small heap, so a
 * test can {@code kill -9} it.
 */
final class NodeJvm implements AutoCloseable
{
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);

    private final Process process;
    private final Path output;
    private final int port;

    private NodeJvm(final Process process, final Path output, final int port)
    {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Starts a node and waits until it serves.
     *
     * @param dir  its data dir; its output goes to {@code node.log} next to it.
     * @param args more node options ({@code --config}, {@code --replicaof}, ...).
     */
    static NodeJvm start(final Path dir, final String... args) throws Exception
    {
        final int port = freePort();
        Files.createDirectories(dir);
        final Path output = dir.resolveSibling(dir.getFileName() + ".log");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
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
        command.add(EngineNodeMain.class.getName());
        command.add("--port");
        command.add(Integer.toString(port));
        command.add("--data-dir");
        command.add(dir.toString());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        final NodeJvm node = new NodeJvm(process, output, port);
        node.awaitReady();
        return node;
    }

    static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    int port()
    {
        return port;
    }

    String address()
    {
        return "127.0.0.1:" + port;
    }

    Jedis client()
    {
        return new Jedis("127.0.0.1", port);
    }

    private void awaitReady() throws Exception
    {
        final long deadline = System.nanoTime() + READY_TIMEOUT_NS;
        while (true)
        {
            if (!process.isAlive())
            {
                throw new AssertionError("the node exited with " + process.exitValue() + ":\n" + outputTail());
            }
            try (Jedis jedis = client())
            {
                if (jedis.info("persistence").contains("loading:0"))
                {
                    return;
                }
            }
            catch (final JedisException notYet)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("not ready in time:\n" + outputTail(), notYet);
                }
            }
            Thread.sleep(50);
        }
    }

    /** Kills the process with SIGKILL and waits until it is gone. */
    void kill9() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("the node did not die");
        }
    }

    /** Sends a signal ({@code STOP}, {@code CONT}) with kill(1). */
    void signal(final String name) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0)
        {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    String outputTail()
    {
        try
        {
            final List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }

    String output() throws IOException
    {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception
    {
        if (process.isAlive())
        {
            signal("CONT");
            kill9();
        }
    }
}
