package io.redmatch.engine.log;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A RESP2 Jedis connection that sends any command and turns replies into plain values: bulk strings become
 * {@code String}, integers {@code Long}, arrays {@code List}, nil {@code null}, records (flat field/value arrays)
 * ordered maps.
 */
final class LogTestClient implements AutoCloseable
{
    private static final int TIMEOUT_MS = 30_000;

    private final Jedis jedis;

    LogTestClient(final int port)
    {
        jedis = new Jedis("127.0.0.1", port, DefaultJedisClientConfig.builder()
            .socketTimeoutMillis(TIMEOUT_MS).connectionTimeoutMillis(TIMEOUT_MS).build());
    }

    /**
     * Connects once the node on {@code port} answers {@code PING} (it may still be starting or loading).
     *
     * @param port           the node's port.
     * @param timeoutSeconds how long to keep trying.
     * @return the connected client.
     */
    static LogTestClient connectWhenUp(final int port, final int timeoutSeconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true)
        {
            try
            {
                final LogTestClient client = new LogTestClient(port);
                client.call("PING");
                return client;
            }
            catch (final RuntimeException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                Thread.sleep(10);
            }
        }
    }

    /** @return a loopback TCP port that was free a moment ago. */
    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static ProtocolCommand command(final String name)
    {
        final byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        return () -> raw;
    }

    Object call(final String name, final String... args)
    {
        return plain(jedis.sendCommand(command(name), args));
    }

    Map<String, Object> record(final String name, final String... args)
    {
        return record(call(name, args));
    }

    String error(final String name, final String... args)
    {
        try
        {
            final Object reply = call(name, args);
            return fail("expected an error from " + name + " " + String.join(" ", args) + " but got " + reply);
        }
        catch (final JedisDataException ex)
        {
            return ex.getMessage();
        }
    }

    /** Sends commands in one pipeline and returns their plain replies (an error reply becomes its exception). */
    List<Object> pipeline(final List<String[]> commands)
    {
        final Pipeline pipeline = jedis.pipelined();
        final List<Response<Object>> responses = new ArrayList<>();
        for (final String[] command : commands)
        {
            responses.add(pipeline.sendCommand(command(command[0]), java.util.Arrays.copyOfRange(command, 1,
                command.length)));
        }
        pipeline.sync();
        final List<Object> replies = new ArrayList<>();
        for (final Response<Object> response : responses)
        {
            try
            {
                replies.add(plain(response.get()));
            }
            catch (final JedisDataException ex)
            {
                replies.add(ex);
            }
        }
        return replies;
    }

    /** @return one INFO field's value, or null. */
    String info(final String section, final String field)
    {
        final String text = (String)call("INFO", section);
        for (final String line : text.split("\r\n"))
        {
            if (line.startsWith(field + ":"))
            {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    String digest()
    {
        return (String)call("DEBUG", "DIGEST");
    }

    static Object plain(final Object reply)
    {
        if (reply instanceof byte[])
        {
            return new String((byte[])reply, StandardCharsets.UTF_8);
        }
        if (reply instanceof List)
        {
            final List<Object> list = new ArrayList<>();
            for (final Object item : (List<?>)reply)
            {
                list.add(plain(item));
            }
            return list;
        }
        return reply;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> record(final Object reply)
    {
        if (reply == null)
        {
            return null;
        }
        final List<Object> flat = (List<Object>)reply;
        final Map<String, Object> record = new LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2)
        {
            record.put((String)flat.get(i), flat.get(i + 1));
        }
        return record;
    }

    @Override
    public void close()
    {
        jedis.close();
    }
}
