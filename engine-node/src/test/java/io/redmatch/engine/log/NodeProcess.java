package io.redmatch.engine.log;

import io.redmatch.engine.node.EngineNodeMain;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An engine node in a JVM of its own, started from this test's class path with the same module flags and a small
 * heap, so that a test can {@code kill -9} it.
 */
final class NodeProcess implements AutoCloseable
{
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);

    private final Process process;
    private final int port;
    private final Path output;

    private NodeProcess(final Process process, final int port, final Path output)
    {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /**
     * Starts a node and waits until it serves (recovered, not loading).
     *
     * @param dataDir its data dir.
     * @param config  its configuration file.
     * @param output  where its standard output and error go (appended).
     * @return the running node.
     */
    static NodeProcess start(final Path dataDir, final Path config, final Path output) throws Exception
    {
        final int port = LogTestClient.freePort();
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
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
        command.add(String.valueOf(port));
        command.add("--data-dir");
        command.add(dataDir.toString());
        command.add("--config");
        command.add(config.toString());
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
            .start();
        final NodeProcess node = new NodeProcess(process, port, output);
        try
        {
            node.awaitReady();
            return node;
        }
        catch (final Exception | AssertionError ex)
        {
            node.close();
            throw ex;
        }
    }

    int port()
    {
        return port;
    }

    /** Kills the node with SIGKILL and waits until it is gone. */
    void kill9() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("the node did not die");
        }
    }

    /** @return the last lines of the node's output, for a failure message. */
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

    private void awaitReady() throws Exception
    {
        final long deadline = System.nanoTime() + READY_TIMEOUT_NS;
        while (true)
        {
            if (!process.isAlive())
            {
                throw new AssertionError("the node exited with " + process.exitValue() + ":\n" + outputTail());
            }
            try (LogTestClient client = new LogTestClient(port))
            {
                if ("0".equals(client.info("persistence", "loading")))
                {
                    return;
                }
            }
            catch (final RuntimeException notYet)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("the node did not start in time:\n" + outputTail(), notYet);
                }
            }
            Thread.sleep(50);
        }
    }
}
