package io.redmatch.engine.node;

import io.redmatch.engine.core.Decimal;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The in-place readers of the command path (name index, name check, decimal parse) read a checked range without
 * per-byte checks; these tests compare them with simple references on keys placed anywhere in heap and off-heap
 * buffers.
 */
class AsciiKeyIndexTest
{
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final String NAME_CHARS = "abcXYZ019_.:-";

    @Test
    void agreesWithAHashMap()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final AsciiKeyIndex index = new AsciiKeyIndex(4);
        final Map<String, Long> reference = new HashMap<>();
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[256]);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        for (int step = 0; step < 200_000; step++)
        {
            final String key = randomName(random, 1 + random.nextInt(random.nextBoolean() ? 3 : 20));
            final UnsafeBuffer buffer = random.nextBoolean() ? heap : direct;
            final int offset = random.nextInt(256 - key.length());
            put(buffer, offset, key);
            final int operation = random.nextInt(3);
            if (operation == 0)
            {
                final long value = random.nextInt(1_000_000);
                index.put(buffer, offset, key.length(), value);
                reference.put(key, value);
            }
            else if (operation == 1)
            {
                final Long expected = reference.get(key);
                final byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
                if (expected != null && index.remove(bytes, expected))
                {
                    reference.remove(key);
                }
            }
            final Long expected = reference.get(key);
            assertEquals(expected == null ? AsciiKeyIndex.MISSING : expected,
                index.get(buffer, offset, key.length()), "seed " + seed + ", key " + key);
        }
        assertEquals(reference.size(), index.size(), "seed " + seed);
    }

    @Test
    void validNamesAreWhatTheSpecSays()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(128));
        for (int step = 0; step < 100_000; step++)
        {
            final byte[] bytes = new byte[random.nextInt(70)];
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = random.nextInt(4) == 0 ? (byte)random.nextInt(256) :
                    (byte)NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length()));
            }
            final int offset = random.nextInt(128 - bytes.length);
            direct.putBytes(offset, bytes);
            final String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertEquals(VALID_NAME.matcher(text).matches(), AccountRegistry.isValidName(direct, offset, bytes.length),
                "seed " + seed + ", name " + text);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> AccountRegistry.isValidName(direct, 120, 10));
    }

    @Test
    void decimalsParseAlikeAnywhereInAnyBuffer()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        final String chars = "0123456789.0000x";
        for (int step = 0; step < 100_000; step++)
        {
            final char[] text = new char[1 + random.nextInt(24)];
            for (int i = 0; i < text.length; i++)
            {
                text[i] = chars.charAt(random.nextInt(random.nextInt(4) == 0 ? chars.length() : 10));
            }
            final String decimal = new String(text);
            final int scale = random.nextInt(9);
            final int offset = random.nextInt(64 - text.length);
            put(direct, offset, decimal);
            assertEquals(Decimal.parse(decimal, scale), Decimal.parse(direct, offset, text.length, scale),
                "seed " + seed + ", decimal " + decimal);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> Decimal.parse(direct, 60, 10, 2));
    }

    private static void put(final MutableDirectBuffer buffer, final int offset, final String ascii)
    {
        buffer.putStringWithoutLengthAscii(offset, ascii);
    }

    private static String randomName(final Random random, final int length)
    {
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = NAME_CHARS.charAt(random.nextInt(random.nextBoolean() ? 3 : NAME_CHARS.length()));
        }
        return new String(chars);
    }
}
