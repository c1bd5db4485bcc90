package io.redmatch.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redmatch.engine.resp.RespRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code XREAD} and {@code XREADGROUP}: to one shard as they are when every stream belongs to it; an {@code XREAD}
 * over streams of several shards is split into one {@code XREAD} per shard with the same options, sent at once, and
 * the replies merged (streams grouped by shard, shards in the order their first stream appears; with {@code BLOCK},
 * the first shard with data answers and the reads still blocked elsewhere are cancelled). An {@code XREADGROUP} over
 * several shards gets {@code -CROSSSLOT}: a group lives on one shard, and a cross-shard group read could not be
 * undone on one shard when another fails.
 */
final class StreamReads
{
    private StreamReads()
    {
    }

    static void xread(final ClientSession session, final RespRequest request, final Topology.View view,
        final boolean group)
    {
        final int streams = CommandDispatcher.streamsIndex(request);
        final int afterStreams = streams < 0 ? 0 : request.argCount() - streams - 1;
        if (streams < 0 || afterStreams == 0 || afterStreams % 2 != 0)
        {
            CommandDispatcher.forwardToAnyShard(session, view, false);
            return;
        }
        final boolean blocking = CommandDispatcher.hasBlock(request, streams);
        final int keyCount = afterStreams / 2;
        final ShardState first = CommandDispatcher.streamShard(request, view, streams + 1);
        boolean single = first != null;
        for (int k = 1; k < keyCount && single; k++)
        {
            single = CommandDispatcher.streamShard(request, view, streams + 1 + k) == first;
        }
        if (single)
        {
            session.forward(first, blocking);
            return;
        }
        final Map<ShardState, List<Integer>> byShard = new LinkedHashMap<>();
        for (int k = 0; k < keyCount; k++)
        {
            final ShardState shard = CommandDispatcher.streamShard(request, view, streams + 1 + k);
            if (shard == null)
            {
                // a key the map does not know: the node says what is wrong with it
                CommandDispatcher.forwardToAnyShard(session, view, false);
                return;
            }
            byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(k);
        }
        if (group)
        {
            session.localError("CROSSSLOT XREADGROUP over streams of different shards (" +
                String.join(", ", byShard.keySet().stream().map(ShardState::name).toList()) +
                "): a consumer group lives on one shard; send one XREADGROUP per shard");
            return;
        }
        final ShardState[] shards = byShard.keySet().toArray(new ShardState[0]);
        final Fanout fanout = new Fanout(session, shards, blocking, new XreadMerger(session.isResp3()));
        for (int s = 0; s < shards.length; s++)
        {
            final ByteBuf frame = subCommand(request, streams, byShard.get(shards[s]), keyCount);
            try
            {
                session.forwardFrame(shards[s], blocking, frame, 0, frame.writerIndex(), fanout.part(s));
            }
            finally
            {
                frame.release();
            }
        }
    }

    /** Encodes the command with its options and only the given streams and their IDs. */
    private static ByteBuf subCommand(final RespRequest request, final int streams, final List<Integer> keys,
        final int keyCount)
    {
        final ByteBuf frame = Unpooled.buffer(request.frameLength());
        final int args = streams + 1 + 2 * keys.size();
        frame.writeByte('*').writeBytes(Integer.toString(args).getBytes(StandardCharsets.US_ASCII)).writeShort(0x0d0a);
        for (int i = 0; i <= streams; i++)
        {
            bulk(frame, request, i);
        }
        for (final int k : keys)
        {
            bulk(frame, request, streams + 1 + k);
        }
        for (final int k : keys)
        {
            bulk(frame, request, streams + 1 + keyCount + k);
        }
        return frame;
    }

    private static void bulk(final ByteBuf frame, final RespRequest request, final int index)
    {
        final int length = request.argLength(index);
        frame.writeByte('$').writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII))
            .writeShort(0x0d0a).writeBytes(request.buffer(), request.argOffset(index), length).writeShort(0x0d0a);
    }

    /** Concatenates the streams of every part that has data; a null reply when none has. */
    private record XreadMerger(boolean resp3) implements Fanout.Merger
    {
        @Override
        public boolean hasData(final ByteBuf part)
        {
            final byte type = part.getByte(part.readerIndex());
            return (type == '*' || type == '%') && part.getByte(part.readerIndex() + 1) != '-' &&
                part.getByte(part.readerIndex() + 1) != '0';
        }

        @Override
        public ByteBuf merge(final ByteBuf[] parts)
        {
            long count = 0;
            byte type = '*';
            for (final ByteBuf part : parts)
            {
                if (part != null && hasData(part))
                {
                    type = part.getByte(part.readerIndex());
                    count += headerCount(part);
                }
            }
            final ByteBuf merged = Unpooled.buffer();
            if (count == 0)
            {
                merged.writeBytes((resp3 ? "_\r\n" : "*-1\r\n").getBytes(StandardCharsets.US_ASCII));
                return merged;
            }
            merged.writeByte(type).writeBytes(Long.toString(count).getBytes(StandardCharsets.US_ASCII))
                .writeShort(0x0d0a);
            for (final ByteBuf part : parts)
            {
                if (part != null && hasData(part))
                {
                    final int bodyStart = part.indexOf(part.readerIndex(), part.writerIndex(), (byte)'\n') + 1;
                    merged.writeBytes(part, bodyStart, part.writerIndex() - bodyStart);
                }
            }
            return merged;
        }

        private static long headerCount(final ByteBuf part)
        {
            final int lineFeed = part.indexOf(part.readerIndex(), part.writerIndex(), (byte)'\n');
            return ReplyScanner.length(part, part.readerIndex() + 1, lineFeed - 1);
        }
    }
}
