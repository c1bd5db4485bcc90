package io.redmatch.clearing.server;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builders of RESP2 replies ({@code netty-codec-redis} messages). */
final class Replies
{
    static final RedisMessage OK = new SimpleStringRedisMessage("OK");

    private Replies()
    {
    }

    static RedisMessage bulk(final String text)
    {
        return new FullBulkStringRedisMessage(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
    }

    static RedisMessage integer(final long value)
    {
        return new IntegerRedisMessage(value);
    }

    static RedisMessage simple(final String text)
    {
        return new SimpleStringRedisMessage(text);
    }

    static RedisMessage error(final String text)
    {
        // an error is one line: a message that held a line break would end the reply early
        return new ErrorRedisMessage(text.replace('\r', ' ').replace('\n', ' '));
    }

    static RedisMessage array(final List<RedisMessage> items)
    {
        return items.isEmpty() ? ArrayRedisMessage.EMPTY_INSTANCE : new ArrayRedisMessage(items);
    }

    static RedisMessage bulks(final List<String> items)
    {
        final List<RedisMessage> messages = new ArrayList<>(items.size());
        for (final String item : items)
        {
            messages.add(bulk(item));
        }
        return array(messages);
    }
}
