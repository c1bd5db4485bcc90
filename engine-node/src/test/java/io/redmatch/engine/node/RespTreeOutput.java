package io.redmatch.engine.node;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Lettuce output that keeps the shape of any reply as Lettuce decoded it: bulk and simple strings as
 * {@code String}, integers as {@code Long}, nulls as {@code null}, arrays and sets as {@code List}, and RESP3 maps
 * as {@code LinkedHashMap} in wire order, so a test can tell a RESP3 map from a RESP2 flat array.
 */
final class RespTreeOutput extends CommandOutput<String, String, Object>
{
    private final Deque<Aggregate> open = new ArrayDeque<>();

    private static final class Aggregate
    {
        final boolean map;
        final int expected;
        final List<Object> elements;

        Aggregate(final boolean map, final int expected)
        {
            this.map = map;
            this.expected = expected;
            this.elements = new ArrayList<>(expected);
        }

        Object value()
        {
            if (!map)
            {
                return elements;
            }
            final Map<Object, Object> result = new LinkedHashMap<>();
            for (int i = 0; i < elements.size(); i += 2)
            {
                result.put(elements.get(i), elements.get(i + 1));
            }
            return result;
        }
    }

    RespTreeOutput()
    {
        super(StringCodec.UTF8, null);
    }

    @Override
    public void set(final ByteBuffer bytes)
    {
        add(bytes == null ? null : decodeString(bytes));
    }

    @Override
    public void setSingle(final ByteBuffer bytes)
    {
        add(bytes == null ? null : decodeString(bytes));
    }

    @Override
    public void set(final long integer)
    {
        add(integer);
    }

    @Override
    public void set(final double number)
    {
        add(number);
    }

    @Override
    public void set(final boolean value)
    {
        add(value);
    }

    @Override
    public void multi(final int count)
    {
        start(false, count);
    }

    @Override
    public void multiArray(final int count)
    {
        start(false, count);
    }

    @Override
    public void multiSet(final int count)
    {
        start(false, count);
    }

    @Override
    public void multiPush(final int count)
    {
        start(false, count);
    }

    @Override
    public void multiMap(final int count)
    {
        start(true, count * 2);
    }

    private void start(final boolean map, final int expected)
    {
        if (expected < 0)
        {
            add(null);
            return;
        }
        final Aggregate aggregate = new Aggregate(map, expected);
        if (expected == 0)
        {
            add(aggregate.value());
            return;
        }
        open.push(aggregate);
    }

    private void add(final Object value)
    {
        Object completed = value;
        while (true)
        {
            final Aggregate top = open.peek();
            if (top == null)
            {
                output = completed;
                return;
            }
            top.elements.add(completed);
            if (top.elements.size() < top.expected)
            {
                return;
            }
            open.pop();
            completed = top.value();
        }
    }
}
