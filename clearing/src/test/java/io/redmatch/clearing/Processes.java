package io.redmatch.clearing;

import io.redmatch.engine.node.EngineNodeMain;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Starting engine nodes and clearing services as real processes, and waiting until they serve. */
final class Processes
{
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);

    private Processes()
    {
    }

    /** A started process and its port. */
    record Started(JvmProcess process, int port) implements AutoCloseable
    {
        @Override
        public void close() throws InterruptedException
        {
            process.close();
        }
    }

    static Started engine(final Path dataDir, final Path config, final Path output) throws Exception
    {
        return engine(dataDir, config, output, JvmProcess.freePort());
    }

    static Started engine(final Path dataDir, final Path config, final Path output, final int port) throws Exception
    {
        final JvmProcess process = JvmProcess.start(EngineNodeMain.class.getName(), output,
            "--port", String.valueOf(port), "--data-dir", dataDir.toString(), "--config", config.toString());
        awaitReady(process, port, true);
        return new Started(process, port);
    }

    /** A hot standby of the node on {@code primaryPort}: no configuration, the pairs come from the primary's log. */
    static Started standby(final Path dataDir, final Path output, final int primaryPort) throws Exception
    {
        final int port = JvmProcess.freePort();
        final JvmProcess process = JvmProcess.start(EngineNodeMain.class.getName(), output,
            "--port", String.valueOf(port), "--data-dir", dataDir.toString(),
            "--replicaof", "127.0.0.1:" + primaryPort);
        awaitReady(process, port, true);
        return new Started(process, port);
    }

    static Started clearing(final Path dataDir, final Path output, final String... engines) throws Exception
    {
        final int port = JvmProcess.freePort();
        final JvmProcess process = JvmProcess.start(ClearingMain.class.getName(), output,
            "--port", String.valueOf(port), "--data-dir", dataDir.toString(), "--engine", String.join(",", engines),
            "--max-balances", "20000", "--wal-limit-mb", "1", "--pair-refresh-ms", "200");
        awaitReady(process, port, false);
        return new Started(process, port);
    }

    private static void awaitReady(final JvmProcess process, final int port, final boolean engine) throws Exception
    {
        final long deadline = System.nanoTime() + READY_TIMEOUT_NS;
        while (true)
        {
            if (!process.isAlive())
            {
                throw new AssertionError("the process exited with " + process.exitValue() + ":\n" +
                    process.outputTail());
            }
            try (Jedis jedis = new Jedis("127.0.0.1", port))
            {
                if (!engine)
                {
                    jedis.ping();
                    return;
                }
                if (jedis.info("persistence").contains("loading:0"))
                {
                    return;
                }
            }
            catch (final JedisException notYet)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("not ready in time:\n" + process.outputTail(), notYet);
                }
            }
            Thread.sleep(50);
        }
    }
}
