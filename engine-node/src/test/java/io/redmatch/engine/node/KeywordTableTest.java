package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redmatch.engine.resp.RespParser;
import io.redmatch.engine.resp.RespRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeywordTableTest
{
    private static final String[] KEYWORDS =
        {"ACCOUNT", "QTY", "QUOTE_QTY", "PRICE", "STOP", "TIF", "POST_ONLY", "CLIENT_ID", "STP"};
    private static final String ALPHABET = "ACDEFIKLNOPQRSTUYZ_acdefiklnopqrstuyz0@[`{\u00e9 ";

    @Test
    void findsWhatComparingWithEveryKeywordFinds()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final KeywordTable table = OrderCommands.PLACE_KEYWORDS;
        final byte[][] upper = new byte[KEYWORDS.length][];
        for (int k = 0; k < KEYWORDS.length; k++)
        {
            upper[k] = KEYWORDS[k].getBytes(StandardCharsets.US_ASCII);
        }
        final RespParser parser = new RespParser();
        final RespRequest request = new RespRequest();
        for (int round = 0; round < 20_000; round++)
        {
            final String[] args = new String[1 + random.nextInt(8)];
            for (int i = 0; i < args.length; i++)
            {
                args[i] = candidate(random);
            }
            final ByteBuf frame = frame(args, random.nextBoolean());
            parser.reset();
            assertEquals(RespParser.Result.COMMAND, parser.parse(frame, request), "seed " + seed);
            for (int i = 0; i < args.length; i++)
            {
                int expected = KeywordTable.NONE;
                for (int k = 0; k < upper.length && expected == KeywordTable.NONE; k++)
                {
                    expected = request.argEqualsIgnoreCase(i, upper[k]) ? k : KeywordTable.NONE;
                }
                assertEquals(expected, table.find(request, i), "seed " + seed + ", argument '" + args[i] + "'");
            }
            frame.release();
        }
    }

    @Test
    void refusesKeywordsItCannotTellApart()
    {
        assertThrows(IllegalArgumentException.class, () -> new KeywordTable("QTY", "QTZ"));
        assertThrows(IllegalArgumentException.class, () -> new KeywordTable("qty"));
        assertThrows(IllegalArgumentException.class, () -> new KeywordTable("_QTY"));
    }

    /** A keyword, a keyword with some letters lowered or one character changed, or random bytes. */
    private static String candidate(final Random random)
    {
        final String keyword = KEYWORDS[random.nextInt(KEYWORDS.length)];
        switch (random.nextInt(4))
        {
            case 0:
                return keyword;
            case 1:
            {
                final char[] chars = keyword.toCharArray();
                for (int i = 0; i < chars.length; i++)
                {
                    chars[i] = random.nextBoolean() ? Character.toLowerCase(chars[i]) : chars[i];
                }
                return new String(chars);
            }
            case 2:
            {
                final char[] chars = keyword.toCharArray();
                chars[random.nextInt(chars.length)] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                return new String(chars);
            }
            default:
            {
                final char[] chars = new char[random.nextInt(12)];
                for (int i = 0; i < chars.length; i++)
                {
                    chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                }
                return new String(chars);
            }
        }
    }

    private static ByteBuf frame(final String[] args, final boolean direct)
    {
        final StringBuilder text = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (final String arg : args)
        {
            text.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                .append("\r\n");
        }
        final byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        final ByteBuf frame = direct ? Unpooled.directBuffer(bytes.length) : Unpooled.buffer(bytes.length);
        return frame.writeBytes(bytes);
    }
}
