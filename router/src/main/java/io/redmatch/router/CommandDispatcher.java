package io.redmatch.router;

import io.netty.buffer.ByteBuf;
import io.redmatch.engine.resp.RespRequest;

import java.nio.charset.StandardCharsets;

/**
 * Decides where each command goes: to the shard owning its pair, to several shards (fan-out), or nowhere (the router
 * answers). The pair is read from the arguments in place; nothing is allocated on the way of a routed command.
 */
final class CommandDispatcher
{
    private static final byte[] FILLS_PREFIX = "fills:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAMS = "STREAMS".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BLOCK = "BLOCK".getBytes(StandardCharsets.US_ASCII);

    private CommandDispatcher()
    {
    }

    static void dispatch(final ClientSession session, final RespRequest request)
    {
        final CommandKind kind = CommandKind.lookup(request.buffer(), request.argOffset(0), request.argLength(0));
        if (session.inSubscribedMode() && !Subscriptions.allowedWhileSubscribed(kind))
        {
            session.localError("ERR Can't execute '" + request.argString(0).toLowerCase() + "': only (P|S)SUBSCRIBE " +
                "/ (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        if (kind == null)
        {
            LocalCommands.unknown(session, request);
            return;
        }
        final Topology.View view = session.router().topology().view();
        switch (kind)
        {
            case PAIR_ARG1 -> routeByArgument(session, request, view, 1, false, false);
            case PAIR_ADD -> routeByArgument(session, request, view, 1, false, true);
            case STREAM_ARG1 -> routeByArgument(session, request, view, 1, true, false);
            case STREAM_ARG2 -> routeByArgument(session, request, view, 2, true, false);
            case XREAD -> StreamReads.xread(session, request, view, false);
            case XREADGROUP -> StreamReads.xread(session, request, view, true);
            case PAIRS -> Fanouts.pairs(session, view);
            case ANY_SHARD -> forwardToAnyShard(session, view, false);
            case SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE ->
                session.subscriptions().handle(kind, request, view);
            default -> LocalCommands.handle(kind, session, request);
        }
    }

    /**
     * Routes by the pair in argument {@code index} (or the stream key {@code fills:<pair>} there). A command too short
     * to name one, or naming a key that is not a fills stream, goes to any shard, whose node gives the error a node
     * gives (arity, syntax); a pair missing from the shard map gets {@code -NOPAIR}.
     */
    private static void routeByArgument(final ClientSession session, final RespRequest request,
        final Topology.View view, final int index, final boolean streamKey, final boolean pairAdd)
    {
        if (request.argCount() <= index)
        {
            forwardToAnyShard(session, view, false);
            return;
        }
        int offset = request.argOffset(index);
        int length = request.argLength(index);
        final ByteBuf buffer = request.buffer();
        if (streamKey)
        {
            if (!hasPrefix(buffer, offset, length, FILLS_PREFIX))
            {
                forwardToAnyShard(session, view, false);
                return;
            }
            offset += FILLS_PREFIX.length;
            length -= FILLS_PREFIX.length;
        }
        final ShardState shard = view.pairs().find(buffer, offset, length);
        if (shard == null)
        {
            final String pair = buffer.toString(offset, length, StandardCharsets.UTF_8);
            session.localError(pairAdd ?
                "ERR pair " + pair + " is not in the router's shard map: add a line 'pair " + pair + " <shard>' to " +
                    "the shard file (reloaded on change, or ROUTER.RELOAD), then PAIR.ADD again" :
                "NOPAIR pair " + pair + " is not in the router's shard map");
            return;
        }
        session.forward(shard, false);
    }

    /** Sends the command to the first shard with a primary; {@code -TRYAGAIN} when none has one. */
    static void forwardToAnyShard(final ClientSession session, final Topology.View view, final boolean blocking)
    {
        for (final ShardState shard : view.shardList())
        {
            if (shard.primary() != null)
            {
                session.forward(shard, blocking);
                return;
            }
        }
        session.router().stats().tryAgainReplies.increment();
        session.localError("TRYAGAIN no shard has a primary at the moment");
    }

    /** @return the shard of stream key argument {@code index}, or null when it is not {@code fills:<mapped pair>}. */
    static ShardState streamShard(final RespRequest request, final Topology.View view, final int index)
    {
        final ByteBuf buffer = request.buffer();
        final int offset = request.argOffset(index);
        final int length = request.argLength(index);
        if (!hasPrefix(buffer, offset, length, FILLS_PREFIX))
        {
            return null;
        }
        return view.pairs().find(buffer, offset + FILLS_PREFIX.length, length - FILLS_PREFIX.length);
    }

    /** @return the index of the {@code STREAMS} argument of an XREAD/XREADGROUP, or -1. */
    static int streamsIndex(final RespRequest request)
    {
        for (int i = 1; i < request.argCount(); i++)
        {
            if (request.argEqualsIgnoreCase(i, STREAMS))
            {
                return i;
            }
        }
        return -1;
    }

    /** @return true when an option argument before {@code end} is {@code BLOCK}. */
    static boolean hasBlock(final RespRequest request, final int end)
    {
        for (int i = 1; i < end; i++)
        {
            if (request.argEqualsIgnoreCase(i, BLOCK))
            {
                return true;
            }
        }
        return false;
    }

    static boolean hasPrefix(final ByteBuf buffer, final int offset, final int length, final byte[] prefix)
    {
        if (length <= prefix.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (buffer.getByte(offset + i) != prefix[i])
            {
                return false;
            }
        }
        return true;
    }
}
