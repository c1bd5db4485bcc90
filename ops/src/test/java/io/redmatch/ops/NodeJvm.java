package io.redmatch.ops;

import io.redmatch.engine.node.EngineNodeMain;
import io.redmatch.router.JvmProcess;
import io.redmatch.router.RouterMain;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine node (or a router) in a JVM of its own, started with the router tests' {@link JvmProcess} so a test can
 * {@code kill -9} it, and the address ops uses to reach it.
 */
final class NodeJvm implements AutoCloseable
{
    private static final String MAX_HEAP = "512m";

    private final JvmProcess process;
    private final int port;

    private NodeJvm(final JvmProcess process, final int port)
    {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a node and waits until it serves.
     *
     * @param dir  its data dir; its output goes to {@code <dir>.log} next to it.
     * @param args more node options ({@code --config}, {@code --replicaof}, ...).
     */
    static NodeJvm start(final Path dir, final String... args) throws Exception
    {
        final int port = freePort();
        Files.createDirectories(dir);
        final List<String> options = new ArrayList<>(List.of("--port", Integer.toString(port), "--data-dir",
            dir.toString()));
        options.addAll(List.of(args));
        return launch(EngineNodeMain.class.getName(), dir.resolveSibling(dir.getFileName() + ".log"), port, options);
    }

    /**
     * Starts a router in front of the shards of a shard file and waits until it serves.
     *
     * @param shardFile the shard file; the router's output goes to {@code router.log} next to it.
     */
    static NodeJvm router(final Path shardFile) throws Exception
    {
        final int port = freePort();
        return launch(RouterMain.class.getName(), shardFile.resolveSibling("router.log"), port, List.of("--port",
            Integer.toString(port), "--shards", shardFile.toString(), "--probe-interval-ms", "200"));
    }

    private static NodeJvm launch(final String mainClass, final Path output, final int port,
        final List<String> options) throws Exception
    {
        final JvmProcess process = JvmProcess.start(MAX_HEAP, mainClass, output, options.toArray(String[]::new));
        try
        {
            process.awaitServing(port);
        }
        catch (final AssertionError | InterruptedException ex)
        {
            process.close();
            throw ex;
        }
        return new NodeJvm(process, port);
    }

    static int freePort() throws IOException
    {
        return JvmProcess.freePort();
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

    /** Kills the process with SIGKILL and waits until it is gone. */
    void kill9() throws InterruptedException
    {
        process.kill9();
    }

    /** Sends a signal ({@code STOP}, {@code CONT}) with kill(1). */
    void signal(final String name) throws Exception
    {
        process.signal(name);
    }

    String outputTail()
    {
        return process.outputTail();
    }

    String output() throws IOException
    {
        return process.output();
    }

    @Override
    public void close() throws Exception
    {
        if (process.isAlive())
        {
            signal("CONT");
            process.kill9();
        }
    }
}
