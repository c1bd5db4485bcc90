package io.redmatch.engine.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Feeds the same random and hostile byte streams, cut into random fragments, to {@link RespParser} and to Netty's
 * {@code codec-redis} ({@code RedisDecoder} with inline commands, {@code RedisBulkStringAggregator},
 * {@code RedisArrayAggregator}), the reference decoder, and checks they decode the same commands and refuse the same
 * streams, within the parser's limits (which are tighter than Netty's: there the parser must refuse while Netty may
 * accept or wait). The seed is printed; rerun one with {@code -Dredmatch.test.seed=<seed>}.
 */
class RespParserDifferentialTest
{
    private static final int STREAMS = Integer.getInteger("redmatch.test.streams", 3_000);
    private static final int MAX_ARGS = 16;
    private static final int MAX_BULK = 512;
    private static final byte[] TOKEN_CHARS =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-".getBytes(StandardCharsets.US_ASCII);

    private enum Hostile
    {
        NONE, BAD_COUNT, NEGATIVE_COUNT, NOT_A_BULK, NESTED_ARRAY, NULL_BULK, BAD_TERMINATOR, BAD_BULK_LENGTH,
        TOO_MANY_ARGS, TOO_LONG_BULK, GARBAGE_ARRAY
    }

    /** What a decoder made of a stream: the commands, and whether it refused the stream. */
    private record Outcome(List<List<String>> commands, boolean refused)
    {
    }

    @Test
    void decodesLikeCodecRedis()
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        System.out.println("RespParserDifferentialTest seed=" + seed);
        final Random random = new Random(seed);
        for (int stream = 0; stream < STREAMS; stream++)
        {
            final long streamSeed = random.nextLong();
            try
            {
                checkOneStream(new Random(streamSeed));
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError("seed=" + seed + " stream=" + stream + ": " + ex.getMessage(), ex);
            }
        }
    }

    private void checkOneStream(final Random random)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<List<String>> expected = new ArrayList<>();
        final int units = 1 + random.nextInt(12);
        for (int i = 0; i < units; i++)
        {
            writeValidUnit(random, bytes, expected);
        }
        final Hostile hostile = random.nextInt(3) == 0 ?
            Hostile.values()[1 + random.nextInt(Hostile.values().length - 1)] : Hostile.NONE;
        writeHostile(random, bytes, hostile);
        final byte[] stream = bytes.toByteArray();
        final int[] cuts = cuts(random, stream.length);

        final Outcome ours = parseWithOurs(stream, cuts, random.nextBoolean());
        final Outcome reference = parseWithCodecRedis(stream, cuts);
        try
        {
            compare(expected, hostile, ours, reference);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + "\nsizes expected=" + expected.size() + " ours=" +
                ours.commands().size() + "/" + ours.refused() + " codec-redis=" + reference.commands().size() + "/" +
                reference.refused() + "\nhostile=" + hostile + "\nexpected=" + expected +
                "\nours=" + ours + "\ncodec-redis=" + reference + "\nstream=" + escape(stream), ex);
        }
    }

    private static void compare(
        final List<List<String>> expected, final Hostile hostile, final Outcome ours, final Outcome reference)
    {

        assertTrue(ours.commands().size() >= expected.size(), "ours lost commands");
        assertEquals(expected, ours.commands().subList(0, expected.size()), "ours");
        assertTrue(reference.commands().size() >= expected.size(), "codec-redis lost commands");
        assertEquals(expected, reference.commands().subList(0, expected.size()), "codec-redis");
        switch (hostile)
        {
            case NONE:
                assertEquals(expected, ours.commands());
                assertEquals(expected, reference.commands());
                assertTrue(!ours.refused() && !reference.refused(), "a valid stream was refused");
                break;
            case TOO_MANY_ARGS:
            case TOO_LONG_BULK:
                // beyond our limits, within Netty's: we refuse, it may accept
                assertTrue(ours.refused(), "ours accepted " + hostile);
                assertEquals(expected, ours.commands());
                break;
            case GARBAGE_ARRAY:
                // whatever garbage decodes to, both must see the same commands until one of them stops
                final int common = Math.min(ours.commands().size(), reference.commands().size());
                assertEquals(reference.commands().subList(0, common), ours.commands().subList(0, common));
                if (reference.refused())
                {
                    assertTrue(ours.commands().size() <= reference.commands().size(), "ours more lenient");
                }
                if (ours.refused())
                {
                    assertTrue(reference.commands().size() <= ours.commands().size(), "codec-redis more lenient");
                }
                break;
            default:
                assertTrue(ours.refused(), "ours accepted " + hostile);
                assertTrue(reference.refused(), "codec-redis accepted " + hostile);
                assertEquals(expected, ours.commands());
                assertEquals(expected, reference.commands());
                break;
        }
    }

    private static Outcome parseWithOurs(final byte[] stream, final int[] cuts, final boolean compact)
    {
        final RespParser parser = new RespParser(MAX_ARGS, MAX_BULK, 64 * 1024);
        final RespRequest request = new RespRequest();
        final List<List<String>> commands = new ArrayList<>();
        final ByteBuf cumulation = Unpooled.buffer();
        int from = 0;
        for (final int cut : cuts)
        {
            cumulation.writeBytes(stream, from, cut - from);
            from = cut;
            while (true)
            {
                final RespParser.Result result = parser.parse(cumulation, request);
                if (result == RespParser.Result.PROTOCOL_ERROR)
                {
                    return new Outcome(commands, true);
                }
                if (result == RespParser.Result.NEED_MORE)
                {
                    break;
                }
                final List<String> command = new ArrayList<>();
                for (int i = 0; i < request.argCount(); i++)
                {
                    command.add(request.buffer().toString(
                        request.argOffset(i), request.argLength(i), StandardCharsets.ISO_8859_1));
                }
                commands.add(command);
            }
            if (compact)
            {
                // what a cumulator does between reads: the half-parsed frame moves to the buffer's start
                cumulation.discardReadBytes();
            }
        }
        return new Outcome(commands, false);
    }

    private static Outcome parseWithCodecRedis(final byte[] stream, final int[] cuts)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(
            new RedisDecoder(true), new RedisBulkStringAggregator(), new RedisArrayAggregator());
        final List<List<String>> commands = new ArrayList<>();
        int from = 0;
        try
        {
            for (final int cut : cuts)
            {
                boolean failed = false;
                try
                {
                    channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, from, cut)));
                }
                catch (final DecoderException ex)
                {
                    // what was decoded before the bad bytes still went up the pipeline
                    failed = true;
                }
                from = cut;
                RedisMessage message;
                while ((message = channel.readInbound()) != null)
                {
                    try
                    {
                        if (!toCommand(message, commands))
                        {
                            return new Outcome(commands, true);
                        }
                    }
                    finally
                    {
                        ReferenceCountUtil.release(message);
                    }
                }
                if (failed)
                {
                    return new Outcome(commands, true);
                }
            }
            return new Outcome(commands, false);
        }
        finally
        {
            try
            {
                channel.finishAndReleaseAll();
            }
            catch (final RuntimeException ex)
            {
                // closing a channel in the middle of a message is expected when the stream stops half way
            }
        }
    }

    /** @return false when the message is nothing a client may send a server: a refusal. */
    private static boolean toCommand(final RedisMessage message, final List<List<String>> commands)
    {
        if (message instanceof InlineCommandRedisMessage)
        {
            final String line = ((InlineCommandRedisMessage)message).content().trim();
            if (!line.isEmpty())
            {
                commands.add(Arrays.asList(line.split(" +")));
            }
            return true;
        }
        if (!(message instanceof ArrayRedisMessage))
        {
            return false;
        }
        final ArrayRedisMessage array = (ArrayRedisMessage)message;
        if (array.isNull() || array.children().isEmpty())
        {
            return true;
        }
        final List<String> command = new ArrayList<>();
        for (final RedisMessage child : array.children())
        {
            if (!(child instanceof FullBulkStringRedisMessage) || ((FullBulkStringRedisMessage)child).isNull())
            {
                return false;
            }
            command.add(((FullBulkStringRedisMessage)child).content().toString(StandardCharsets.ISO_8859_1));
        }
        commands.add(command);
        return true;
    }

    private static void writeValidUnit(final Random random, final ByteArrayOutputStream out, final List<List<String>> expected)
    {
        switch (random.nextInt(10))
        {
            case 0:
                write(out, random.nextBoolean() ? "*0\r\n" : "*-1\r\n");
                break;
            case 1:
            case 2:
            {
                final List<String> tokens = new ArrayList<>();
                final int count = 1 + random.nextInt(5);
                final StringBuilder line = new StringBuilder();
                for (int i = 0; i < count; i++)
                {
                    final String token = token(random, i == 0);
                    tokens.add(token);
                    line.append(i == 0 ? "" : " ").append(token);
                }
                write(out, line + "\r\n");
                expected.add(tokens);
                break;
            }
            default:
                expected.add(writeArray(random, out, 1 + random.nextInt(MAX_ARGS), MAX_BULK));
                break;
        }
    }

    private static List<String> writeArray(
        final Random random, final ByteArrayOutputStream out, final int count, final int maxLength)
    {
        final List<String> args = new ArrayList<>();
        write(out, "*" + count + "\r\n");
        for (int i = 0; i < count; i++)
        {
            final int length = random.nextInt(8) == 0 ? random.nextInt(maxLength + 1) : random.nextInt(12);
            final byte[] arg = new byte[length];
            for (int k = 0; k < length; k++)
            {
                // any byte, CR and LF included: bulk strings are binary safe
                arg[k] = random.nextInt(4) == 0 ? (byte)"\r\n*$"
                    .charAt(random.nextInt(4)) : (byte)random.nextInt(256);
            }
            write(out, "$" + length + "\r\n");
            out.writeBytes(arg);
            write(out, "\r\n");
            args.add(new String(arg, StandardCharsets.ISO_8859_1));
        }
        return args;
    }

    private static void writeHostile(final Random random, final ByteArrayOutputStream out, final Hostile hostile)
    {
        switch (hostile)
        {
            case NONE:
                break;
            case BAD_COUNT:
                write(out, "*" + pick(random, "abc", "1x", "", "-", " 1", "1 ") + "\r\n$1\r\na\r\n");
                break;
            case NEGATIVE_COUNT:
                write(out, "*-" + (2 + random.nextInt(1000)) + "\r\n");
                break;
            case NOT_A_BULK:
                write(out, "*2\r\n$4\r\nECHO\r\n" + pick(random, ":1\r\n", "+OK\r\n", "-ERR x\r\n"));
                break;
            case NESTED_ARRAY:
                write(out, "*2\r\n$4\r\nECHO\r\n*1\r\n$1\r\na\r\n");
                break;
            case NULL_BULK:
                write(out, "*2\r\n$4\r\nECHO\r\n$-1\r\n");
                break;
            case BAD_TERMINATOR:
                write(out, "*1\r\n$4\r\nPING" + pick(random, "xx", "\n\r", "\rx", "\n\n"));
                break;
            case BAD_BULK_LENGTH:
                write(out, "*1\r\n$" + pick(random, "1a", "", "-", "x", "-5") + "\r\nabc\r\n");
                break;
            case TOO_MANY_ARGS:
                writeArray(random, out, MAX_ARGS + 1 + random.nextInt(4), 4);
                break;
            case TOO_LONG_BULK:
                write(out, "*1\r\n$" + (MAX_BULK + 1 + random.nextInt(100)) + "\r\n");
                break;
            case GARBAGE_ARRAY:
            {
                final byte[] garbage = new byte[1 + random.nextInt(40)];
                random.nextBytes(garbage);
                write(out, "*");
                out.writeBytes(garbage);
                break;
            }
            default:
                fail("unknown " + hostile);
        }
    }

    private static int[] cuts(final Random random, final int length)
    {
        final List<Integer> cuts = new ArrayList<>();
        int position = 0;
        while (position < length)
        {
            final int step = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(Math.max(1, length / 3));
            position = Math.min(length, position + step);
            cuts.add(position);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String token(final Random random, final boolean first)
    {
        final int length = 1 + random.nextInt(10);
        final StringBuilder token = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            // an inline command starts with a letter: codec-redis reads + - : $ * as RESP types
            final int bound = first && i == 0 ? 52 : TOKEN_CHARS.length;
            token.append((char)TOKEN_CHARS[random.nextInt(bound)]);
        }
        return token.toString();
    }

    private static String escape(final byte[] bytes)
    {
        final StringBuilder text = new StringBuilder();
        for (final byte b : bytes)
        {
            if (b >= 0x20 && b < 0x7F)
            {
                text.append((char)b);
            }
            else
            {
                text.append(String.format("\\x%02x", b & 0xFF));
            }
        }
        return text.toString();
    }

    private static String pick(final Random random, final String... choices)
    {
        return choices[random.nextInt(choices.length)];
    }

    private static void write(final ByteArrayOutputStream out, final String text)
    {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
