package io.redmatch.engine.node;

import io.redmatch.engine.stream.StreamStateSink;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-1 of a canonical serialisation of the matching state, for {@code DEBUG DIGEST}: two nodes that applied the
 * same command log give the same hex string. A slow path; the JDK's SHA-1 does the hashing.
 */
final class StateDigest
{
    private final MessageDigest sha1;
    private final ByteBuffer scratch = ByteBuffer.allocate(8);

    StateDigest()
    {
        try
        {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    StateDigest add(final long value)
    {
        scratch.clear();
        scratch.putLong(value);
        sha1.update(scratch.array(), 0, 8);
        return this;
    }

    StateDigest add(final boolean value)
    {
        return add(value ? 1 : 0);
    }

    StateDigest add(final byte[] bytes)
    {
        add(bytes.length);
        sha1.update(bytes);
        return this;
    }

    StateDigest add(final String text)
    {
        return text == null ? add(-1) : add(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** @return a view of this digest for the fill streams' state. */
    StreamStateSink asStreamStateSink()
    {
        return new StreamStateSink()
        {
            public void add(final long value)
            {
                StateDigest.this.add(value);
            }

            public void add(final byte[] bytes)
            {
                StateDigest.this.add(bytes);
            }
        };
    }

    String hex()
    {
        return java.util.HexFormat.of().formatHex(sha1.digest());
    }
}
