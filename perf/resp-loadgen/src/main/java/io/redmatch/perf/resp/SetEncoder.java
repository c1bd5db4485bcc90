package io.redmatch.perf.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The Redis reference load: {@code SET key:<12-digit random number> <value>} over a bounded key space, the request
 * {@code redis-benchmark -t set -r <keyspace>} sends, so a {@code redis-server} measured with it holds a bounded
 * number of keys.
 */
final class SetEncoder implements RequestEncoder
{
    private static final byte[] COMMAND = "*3\r\n$3\r\nSET\r\n$16\r\nkey:".getBytes(StandardCharsets.US_ASCII);
    private static final long FIRST_KEY_DIGIT = 100_000_000_000L;

    private final byte[] value;
    private final int valueLength;
    private final int keyspace;
    private final SplittableRandom random;

    /**
     * A SET load.
     *
     * @param keyspace how many different keys, at least 1.
     * @param value    the value every SET writes.
     * @param seed     seed of the key choice.
     */
    SetEncoder(final int keyspace, final String value, final long seed)
    {
        if (keyspace < 1)
        {
            throw new IllegalArgumentException("keyspace must be at least 1: " + keyspace);
        }
        this.keyspace = keyspace;
        this.value = RequestEncoder.bulk(value);
        this.valueLength = value.length();
        this.random = new SplittableRandom(seed);
    }

    public void encode(final long requestIndex, final int connectionIndex, final ByteBuf out)
    {
        out.writeBytes(COMMAND);
        final int key = random.nextInt(keyspace);
        for (long divisor = FIRST_KEY_DIGIT; divisor > 0; divisor /= 10)
        {
            out.writeByte('0' + (int)((key / divisor) % 10));
        }
        out.writeByte('\r').writeByte('\n');
        out.writeBytes(value);
    }

    public String describe()
    {
        return "SET key:<12-digit random below " + keyspace + "> <" + valueLength + "-byte value>";
    }
}
