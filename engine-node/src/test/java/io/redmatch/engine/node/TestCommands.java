package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

/**
 * Test-only commands that drive the node's internal APIs from a client: {@code TEST.PUBLISH <channel> <payload>}
 * (an internal publish), {@code TEST.BLOCK <key> <timeoutMs>} (a command that blocks until {@code key} is signalled)
 * and {@code TEST.SIGNAL <key>}, {@code TEST.WRITE <anything>} (a WRITE command, to see it sequenced).
 */
final class TestCommands implements CommandGroup
{
    private static final byte[] TIMED_OUT = RespWriter.encodeSimpleString("TIMEDOUT");

    public void register(final CommandTable table, final EngineNode node)
    {
        table.register("TEST.PUBLISH", 3, Command.FAST, (connection, request, out) ->
        {
            final String channel = PubSubCommands.channelName(request, 1);
            final int receivers = node.pubSub().hasSubscribers(channel) ?
                node.pubSub().publish(channel, request.buffer(), request.argOffset(2), request.argLength(2)) : 0;
            out.integer(receivers);
        });
        table.register("TEST.BLOCK", 3, Command.BLOCKING, TestCommands::block);
        table.register("TEST.SIGNAL", 2, Command.FAST, (connection, request, out) ->
        {
            node.signal(request.argString(1));
            out.ok();
        });
        table.register("TEST.WRITE", -1, Command.WRITE, (connection, request, out) ->
            out.integer(node.sequencer().logSeq()));
    }

    private static void block(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final String key = request.argString(1);
        final long timeoutMillis = request.argLong(2, -1);
        connection.block(new BlockedCommand()
        {
            public boolean onSignal(final Connection blocked, final String signalled, final RespWriter reply)
            {
                reply.simpleString("WOKE " + signalled);
                return true;
            }

            public void onTimeout(final Connection blocked, final RespWriter reply)
            {
                reply.raw(TIMED_OUT);
            }
        }, timeoutMillis, key);
    }
}
