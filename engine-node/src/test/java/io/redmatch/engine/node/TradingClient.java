package io.redmatch.engine.node;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sends any command over a RESP2 Jedis connection and turns the reply into plain Java values: bulk strings become
 * {@code String}, integers {@code Long}, arrays {@code List}, nil {@code null}; records (flat field/value arrays)
 * become ordered maps.
 */
final class TradingClient implements AutoCloseable
{
    private final Jedis jedis;

    TradingClient(final Jedis jedis)
    {
        this.jedis = jedis;
    }

    /** A command name Jedis does not know. */
    static ProtocolCommand command(final String name)
    {
        final byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        return () -> raw;
    }

    Jedis jedis()
    {
        return jedis;
    }

    /** Sends a command and returns its converted reply; an error reply throws {@link JedisDataException}. */
    Object call(final String name, final String... args)
    {
        return plain(jedis.sendCommand(command(name), args));
    }

    /** Sends a command with binary arguments. */
    Object callBinary(final String name, final byte[]... args)
    {
        return plain(jedis.sendCommand(command(name), args));
    }

    /** Sends a command whose reply is a record and returns it as an ordered map. */
    Map<String, Object> record(final String name, final String... args)
    {
        return record(call(name, args));
    }

    /** Sends a command that must fail and returns the error message (without the leading '-'). */
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

    /** Sends a command with binary arguments that must fail and returns the error message. */
    String errorBinary(final String name, final byte[]... args)
    {
        try
        {
            final Object reply = callBinary(name, args);
            return fail("expected an error from " + name + " but got " + reply);
        }
        catch (final JedisDataException ex)
        {
            return ex.getMessage();
        }
    }

    /** {@code ORDER.PLACE pair args...}. */
    Map<String, Object> place(final String pair, final String... args)
    {
        final String[] all = new String[args.length + 1];
        all[0] = pair;
        System.arraycopy(args, 0, all, 1, args.length);
        return record("ORDER.PLACE", all);
    }

    /** @return the node's {@code DEBUG DIGEST}. */
    String digest()
    {
        return (String)call("DEBUG", "DIGEST");
    }

    /** Adds a pair and checks the reply is OK. */
    void addPair(final String pair, final String... options)
    {
        final String[] all = new String[options.length + 1];
        all[0] = pair;
        System.arraycopy(options, 0, all, 1, options.length);
        assertEquals("OK", call("PAIR.ADD", all));
    }

    /** Converts a Jedis reply to plain values; bulk and status strings both become {@code String}. */
    static Object plain(final Object reply)
    {
        if (reply instanceof byte[])
        {
            return new String((byte[])reply, StandardCharsets.UTF_8);
        }
        if (reply instanceof List)
        {
            final List<?> list = (List<?>)reply;
            final List<Object> result = new ArrayList<>(list.size());
            for (final Object element : list)
            {
                result.add(plain(element));
            }
            return result;
        }
        return reply;
    }

    /** Turns a flat field/value list into an ordered map, checking the field names are distinct strings. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> record(final Object reply)
    {
        assertNotNull(reply, "record expected, got nil");
        assertInstanceOf(List.class, reply, "record expected");
        final List<Object> flat = (List<Object>)reply;
        assertEquals(0, flat.size() % 2, "record has an odd number of elements: " + flat);
        final Map<String, Object> record = new LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2)
        {
            final Object field = flat.get(i);
            assertInstanceOf(String.class, field, "field name expected in " + flat);
            if (record.put((String)field, flat.get(i + 1)) != null || record.size() != i / 2 + 1)
            {
                fail("duplicate field " + field + " in " + flat);
            }
        }
        return record;
    }

    /** @return the fills of an order record as {@code [seq, price, qty]} lists. */
    @SuppressWarnings("unchecked")
    static List<List<Object>> fills(final Map<String, Object> record)
    {
        return (List<List<Object>>)record.get("fills");
    }

    /** @return the order id of an order record. */
    static long orderId(final Map<String, Object> record)
    {
        return (Long)record.get("order_id");
    }

    /** @return a fill as {@code [seq, price, qty]}, for comparing with {@link #fills}. */
    static List<Object> fill(final long seq, final String price, final String qty)
    {
        return List.of(seq, price, qty);
    }

    /** @return the first word of an error message, its code. */
    static String code(final String error)
    {
        final int space = error.indexOf(' ');
        return (space < 0 ? error : error.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    @Override
    public void close()
    {
        jedis.close();
    }
}
