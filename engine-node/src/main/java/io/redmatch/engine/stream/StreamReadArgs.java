package io.redmatch.engine.stream;

import io.redmatch.engine.resp.RespRequest;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The options and stream list of {@code XREAD} and {@code XREADGROUP}, parsed in place:
 * {@code [GROUP g c] [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id...}, with Redis's errors. IDs are parsed here
 * too, so every syntax error is found before any key is looked up. Reused for every command; no allocation.
 */
final class StreamReadArgs
{
    /** The ID {@code $}: after the last entry when the command runs. */
    static final long AFTER_LAST = -1;
    /** The ID {@code >}: entries never delivered to the group. */
    static final long NEW_ONLY = -2;
    /** No {@code BLOCK} option. */
    static final long NO_BLOCK = -1;

    private static final byte[] COUNT = ascii("COUNT");
    private static final byte[] BLOCK = ascii("BLOCK");
    private static final byte[] STREAMS = ascii("STREAMS");
    private static final byte[] NOACK = ascii("NOACK");
    private static final byte[] GROUP = ascii("GROUP");
    private static final byte[] DOLLAR = ascii("$");
    private static final byte[] GREATER = ascii(">");

    private final StreamIds ids = new StreamIds();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private long count;
    private long blockMillis;
    private boolean noAck;
    private int groupArg;
    private int firstKeyArg;
    private int streamCount;
    private long[] afterSeqs = new long[8];

    /**
     * Parses a request.
     *
     * @param request the command.
     * @param group   true for {@code XREADGROUP}, false for {@code XREAD}.
     * @return null when it is well formed, else the error to reply.
     */
    String parse(final RespRequest request, final boolean group)
    {
        count = 0;
        blockMillis = NO_BLOCK;
        noAck = false;
        groupArg = -1;
        firstKeyArg = -1;
        streamCount = 0;
        final int argCount = request.argCount();
        int i = 1;
        while (i < argCount)
        {
            final int valuesLeft = argCount - i - 1;
            if (request.argEqualsIgnoreCase(i, BLOCK) && valuesLeft >= 1)
            {
                final long timeout = request.argLong(i + 1, Long.MIN_VALUE);
                if (timeout == Long.MIN_VALUE)
                {
                    return StreamReplies.TIMEOUT_NOT_INTEGER;
                }
                if (timeout < 0)
                {
                    return StreamReplies.TIMEOUT_NEGATIVE;
                }
                blockMillis = timeout;
                i += 2;
            }
            else if (request.argEqualsIgnoreCase(i, COUNT) && valuesLeft >= 1)
            {
                final long value = request.argLong(i + 1, Long.MIN_VALUE);
                if (value == Long.MIN_VALUE)
                {
                    return StreamReplies.NOT_AN_INTEGER;
                }
                count = Math.max(0, value);
                i += 2;
            }
            else if (request.argEqualsIgnoreCase(i, STREAMS) && valuesLeft >= 1)
            {
                firstKeyArg = i + 1;
                break;
            }
            else if (request.argEqualsIgnoreCase(i, GROUP) && valuesLeft >= 2)
            {
                if (!group)
                {
                    return StreamReplies.GROUP_XREAD;
                }
                groupArg = i + 1;
                i += 3;
            }
            else if (request.argEqualsIgnoreCase(i, NOACK))
            {
                if (!group)
                {
                    return StreamReplies.NOACK_XREAD;
                }
                noAck = true;
                i++;
            }
            else
            {
                return StreamReplies.SYNTAX;
            }
        }
        if (firstKeyArg < 0)
        {
            return StreamReplies.SYNTAX;
        }
        final int listed = argCount - firstKeyArg;
        if (listed % 2 != 0)
        {
            return StreamReplies.UNBALANCED;
        }
        if (group && groupArg < 0)
        {
            return StreamReplies.MISSING_GROUP;
        }
        streamCount = listed / 2;
        if (afterSeqs.length < streamCount)
        {
            afterSeqs = new long[Math.max(streamCount, afterSeqs.length * 2)];
        }
        for (int s = 0; s < streamCount; s++)
        {
            final String error = parseId(request, firstKeyArg + streamCount + s, s, group);
            if (error != null)
            {
                return error;
            }
        }
        return null;
    }

    private String parseId(final RespRequest request, final int arg, final int stream, final boolean group)
    {
        if (request.argEquals(arg, DOLLAR))
        {
            if (group)
            {
                return StreamReplies.DOLLAR_XREADGROUP;
            }
            afterSeqs[stream] = AFTER_LAST;
            return null;
        }
        if (request.argEquals(arg, GREATER))
        {
            if (!group)
            {
                return StreamReplies.GREATER_XREAD;
            }
            afterSeqs[stream] = NEW_ONLY;
            return null;
        }
        request.wrapArg(arg, view);
        final long afterSeq = ids.afterSeq(view, 0, view.capacity());
        if (afterSeq == StreamIds.INVALID)
        {
            return StreamReplies.INVALID_ID;
        }
        afterSeqs[stream] = afterSeq;
        return null;
    }

    /** @return the {@code COUNT}, 0 when not given or not positive: no limit but the node's own. */
    long count()
    {
        return count;
    }

    /** @return the {@code BLOCK} timeout in milliseconds (0 forever), or {@link #NO_BLOCK}. */
    long blockMillis()
    {
        return blockMillis;
    }

    /** @return true with {@code NOACK}. */
    boolean noAck()
    {
        return noAck;
    }

    /** @return the argument index of the group name; the consumer name follows it. */
    int groupArg()
    {
        return groupArg;
    }

    /** @return how many streams are listed. */
    int streamCount()
    {
        return streamCount;
    }

    /** @return the argument index of the key of listed stream {@code index}. */
    int keyArg(final int index)
    {
        return firstKeyArg + index;
    }

    /**
     * @param index a listed stream.
     * @return the position after which to read it: a sequence, {@link #AFTER_LAST} or {@link #NEW_ONLY}.
     */
    long afterSeq(final int index)
    {
        return afterSeqs[index];
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
