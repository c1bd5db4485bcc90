package io.redmatch.engine.stream;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A throwaway redis-server on a free loopback port, the reference the stream commands are compared with. */
final class RedisServerProcess implements AutoCloseable
{
    private static final String[] CANDIDATES = { "/usr/bin/redis-server", "/usr/local/bin/redis-server" };

    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServerProcess(final Process process, final int port, final Path dir)
    {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** @return the path of redis-server, or null when it is not installed. */
    static String executable()
    {
        for (final String candidate : CANDIDATES)
        {
            if (new File(candidate).canExecute())
            {
                return candidate;
            }
        }
        return null;
    }

    static RedisServerProcess start() throws IOException, InterruptedException
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final Path dir = Files.createTempDirectory("redmatch-redis-ref");
        final Process process = new ProcessBuilder(
            executable(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            try (Socket ignored = new Socket("127.0.0.1", port))
            {
                return new RedisServerProcess(process, port, dir);
            }
            catch (final IOException notYet)
            {
                Thread.sleep(20);
            }
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not start on port " + port);
    }

    int port()
    {
        return port;
    }

    @Override
    public void close() throws IOException, InterruptedException
    {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
        }
        try (var files = Files.walk(dir))
        {
            files.sorted((a, b) -> b.compareTo(a)).forEach((path) -> path.toFile().delete());
        }
    }
}
