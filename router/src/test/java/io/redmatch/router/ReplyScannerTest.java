package io.redmatch.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reply scanner against random nested RESP2 replies cut at random places, with Netty's codec-redis as the
 * reference for where each reply ends.
 */
final class ReplyScannerTest
{
    private static final long SEED = Long.getLong("redmatch.test.seed", System.nanoTime());

    @Test
    void findsTheSameReplyBoundariesAsCodecRedis()
    {
        System.out.println("ReplyScannerTest seed " + SEED);
        final Random random = new Random(SEED);
        for (int round = 0; round < 200; round++)
        {
            final List<String> replies = new ArrayList<>();
            final StringBuilder stream = new StringBuilder();
            for (int i = 0; i < 1 + random.nextInt(20); i++)
            {
                final String reply = reply(random, 0);
                replies.add(reply);
                stream.append(reply);
            }
            final byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
            assertEquals(replies.size(), codecRedisCount(bytes), "seed " + SEED + " round " + round);
            // fed in random pieces, the scanner finds every reply exactly where it ends
            final ByteBuf buffer = Unpooled.buffer();
            int offset = 0;
            int start = 0;
            int found = 0;
            int expectedEnd = replies.get(0).getBytes(StandardCharsets.UTF_8).length;
            while (offset < bytes.length)
            {
                final int piece = Math.min(bytes.length - offset, 1 + random.nextInt(40));
                buffer.writeBytes(bytes, offset, piece);
                offset += piece;
                int end;
                while ((end = ReplyScanner.scan(buffer, start, buffer.writerIndex())) >= 0)
                {
                    assertEquals(expectedEnd, end, "seed " + SEED + " round " + round + " reply " + found);
                    start = end;
                    found++;
                    if (found < replies.size())
                    {
                        expectedEnd += replies.get(found).getBytes(StandardCharsets.UTF_8).length;
                    }
                }
                assertEquals(ReplyScanner.NEED_MORE, end);
            }
            assertEquals(replies.size(), found);
            buffer.release();
        }
    }

    private static int codecRedisCount(final byte[] bytes)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new RedisDecoder(), new RedisBulkStringAggregator(),
            new RedisArrayAggregator());
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        int count = 0;
        Object message;
        while ((message = channel.readInbound()) != null)
        {
            count++;
            ReferenceCountUtil.release(message);
        }
        channel.finishAndReleaseAll();
        return count;
    }

    private static String reply(final Random random, final int depth)
    {
        final int kind = random.nextInt(depth > 3 ? 6 : 8);
        return switch (kind)
        {
            case 0 -> "+" + word(random) + "\r\n";
            case 1 -> "-ERR " + word(random) + "\r\n";
            case 2 -> ":" + (random.nextLong() % 100000) + "\r\n";
            case 3 ->
            {
                final String content = random.nextInt(4) == 0 ? "a\r\nb\r\n" : word(random);
                yield "$" + content.getBytes(StandardCharsets.UTF_8).length + "\r\n" + content + "\r\n";
            }
            case 4 -> "$-1\r\n";
            case 5 -> "*-1\r\n";
            default ->
            {
                final int count = random.nextInt(6);
                final StringBuilder array = new StringBuilder("*" + count + "\r\n");
                for (int i = 0; i < count; i++)
                {
                    array.append(reply(random, depth + 1));
                }
                yield array.toString();
            }
        };
    }

    private static String word(final Random random)
    {
        final StringBuilder word = new StringBuilder();
        for (int i = 0; i < random.nextInt(12); i++)
        {
            word.append((char)('a' + random.nextInt(26)));
        }
        return word.toString();
    }
}
