package io.redmatch.engine.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineNodeMainTest
{
    @TempDir
    Path tempDir;

    @Test
    void printsHelp()
    {
        final StringWriter text = new StringWriter();
        final CommandLine commandLine = new CommandLine(new EngineNodeMain());
        commandLine.setOut(new PrintWriter(text));
        assertEquals(0, commandLine.execute("--help"));
        assertTrue(text.toString().contains("--data-dir=<dir>"), text.toString());
        assertTrue(text.toString().contains("--port=<port>"), text.toString());
    }

    @Test
    void runsUntilShutdownWithTheConfigFileAndOptions() throws Exception
    {
        final int port = freePort();
        final Path config = tempDir.resolve("node.properties");
        Files.writeString(config, "port=1\nmax-clients=77\n");
        final Path dataDir = tempDir.resolve("data/node");
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(
            new EngineNodeMain()).execute("--port", String.valueOf(port), "--data-dir", dataDir.toString(),
            "--config", config.toString()));
        try (RespSocket client = connect(port))
        {
            assertTrue(Files.isDirectory(dataDir));
            assertEquals(List.of("maxclients", "77"), client.call("CONFIG", "GET", "maxclients"));
            client.command("SHUTDOWN");
            assertTrue(client.closedByServer());
        }
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
    }

    @Test
    void refusesAnInvalidConfiguration()
    {
        assertThrows(IllegalStateException.class, () -> new EngineNodeContext().port(70_000).conclude());
        assertThrows(IllegalStateException.class, () -> new EngineNodeContext().maxClients(0).conclude());
        assertThrows(IllegalStateException.class,
            () -> new EngineNodeContext().writeLowWaterMark(10).writeHighWaterMark(5).conclude());
        assertEquals(1, new CommandLine(new EngineNodeMain()).execute(
            "--port", "70000", "--data-dir", tempDir.toString()));
    }

    @Test
    void stopsCleanlyOnSigterm() throws Exception
    {
        final int port = freePort();
        final Path log = tempDir.resolve("node.log");
        final java.util.List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        // the module flags Aeron needs on JDK 17, as this JVM got them from Surefire's argLine
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> arg.startsWith("--add-")).forEach(command::add);
        command.addAll(java.util.List.of(
            "-cp", System.getProperty("java.class.path"),
            EngineNodeMain.class.getName(),
            "--port", String.valueOf(port),
            "--data-dir", tempDir.resolve("data").toString()));
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        try
        {
            try (RespSocket client = connect(port))
            {
                assertEquals("PONG", client.call("PING"));
                // PING is answered while the command log is being recovered; wait until the node serves its state
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (client.call("PAIRS") instanceof RespSocket.Error && System.nanoTime() < deadline)
                {
                    Thread.sleep(50);
                }
                process.destroy();
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "did not stop on SIGTERM");
            }
            final String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(output.contains("engine node listening on 127.0.0.1:" + port), output);
            assertTrue(output.contains("EngineNodeContext{port=" + port), output);
            assertTrue(output.contains("engine node stopped"), output);
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    private static RespSocket connect(final int port) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            try
            {
                return new RespSocket(port);
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
