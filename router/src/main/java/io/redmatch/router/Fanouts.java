package io.redmatch.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/** Commands the router sends to every shard and merges: {@code PAIRS} (the union, in shard order). */
final class Fanouts
{
    private static final byte[] PAIRS = "*1\r\n$5\r\nPAIRS\r\n".getBytes(StandardCharsets.US_ASCII);

    private Fanouts()
    {
    }

    static void pairs(final ClientSession session, final Topology.View view)
    {
        final ShardState[] shards = view.shardList().toArray(new ShardState[0]);
        final Fanout fanout = new Fanout(session, shards, false, Fanouts::union);
        final ByteBuf frame = Unpooled.wrappedBuffer(PAIRS);
        for (int s = 0; s < shards.length; s++)
        {
            session.forwardFrame(shards[s], false, frame, 0, PAIRS.length, fanout.part(s));
        }
    }

    private static ByteBuf union(final ByteBuf[] parts)
    {
        final Set<String> names = new LinkedHashSet<>();
        for (final ByteBuf part : parts)
        {
            int position = part.indexOf(part.readerIndex(), part.writerIndex(), (byte)'\n') + 1;
            while (position < part.writerIndex())
            {
                final int lineFeed = part.indexOf(position, part.writerIndex(), (byte)'\n');
                final int length = (int)ReplyScanner.length(part, position + 1, lineFeed - 1);
                names.add(part.toString(lineFeed + 1, length, StandardCharsets.UTF_8));
                position = lineFeed + 1 + length + 2;
            }
        }
        final ByteBuf merged = Unpooled.buffer();
        merged.writeBytes(("*" + names.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (final String name : names)
        {
            final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            merged.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII)).writeBytes(bytes)
                .writeShort(0x0d0a);
        }
        return merged;
    }
}
