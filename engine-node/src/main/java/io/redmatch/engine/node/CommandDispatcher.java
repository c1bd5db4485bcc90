package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.redmatch.engine.resp.RespParser;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Runs one parsed command, in SPEC §3's order of checks: lookup ({@code -ERR unknown command}), subcommand, arity
 * ({@code -ERR wrong number of arguments}), RESP2 subscribed mode, the node's {@link CommandGate}s (auth, loading,
 * read-only...), then, for a {@link Command#WRITE} command, the {@link Sequencer} (skipped when the command's
 * {@link StateChangeCheck} finds it changes nothing), and finally the handler. The messages are Redis's, word for
 * word, because client libraries and people match on them.
 * <p>
 * A handler that throws is a bug, not a client error: it is logged, the partial reply is cut off, and the client
 * gets {@code -ERR internal error} so its connection stays in step.
 */
final class CommandDispatcher
{
    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    /** Redis caps the arguments it quotes back in an unknown-command error at about this many bytes. */
    private static final int MAX_QUOTED_BYTES = 128;

    private final ServerStats stats;
    private final CommandTable table;
    private final Sequencer sequencer;
    private final Connection replayConnection;
    private final RespParser replayParser = new RespParser();
    private final RespRequest replayRequest = new RespRequest();
    private CommandGate[] gates = new CommandGate[0];

    CommandDispatcher(final EngineNode node)
    {
        this.stats = node.stats();
        this.table = node.commandTable();
        this.sequencer = node.sequencer();
        this.replayConnection = new Connection(0, node, new RespWriter(), null, "replay", "", System.currentTimeMillis());
        replayConnection.writer().repliesDiscarded(true);
    }

    void gates(final CommandGate[] gates)
    {
        this.gates = gates;
    }

    /** Runs a command a client sent. */
    void dispatch(final Connection connection, final RespRequest request, final RespWriter out)
    {
        stats.commandsProcessed++;
        final long errorsBefore = out.errorCount();
        execute(connection, request, out, true);
        stats.errorReplies += out.errorCount() - errorsBefore;
    }

    /** Releases the output buffer the log replay keeps for reuse; on the event loop, when the node closes. */
    void close()
    {
        replayConnection.writer().release();
    }

    /** Runs a command read back from the log; see {@link EngineNode#replay}. */
    boolean replay(final ByteBuf frame, final int offset, final int length)
    {
        final int readerIndex = frame.readerIndex();
        final int writerIndex = frame.writerIndex();
        final RespWriter out = replayConnection.writer();
        try
        {
            frame.setIndex(offset, offset + length);
            replayParser.reset();
            if (replayParser.parse(frame, replayRequest) != RespParser.Result.COMMAND)
            {
                LOG.error("log entry is not a complete command: {}", replayParser.errorMessage());
                return false;
            }
            final long errorsBefore = out.errorCount();
            final boolean known = execute(replayConnection, replayRequest, out, false);
            if (out.errorCount() != errorsBefore && !known)
            {
                LOG.error("log entry names an unknown command: {}", replayRequest.argString(0));
            }
            return known;
        }
        finally
        {
            frame.setIndex(readerIndex, writerIndex);
            // the reply is dropped and its buffer kept for the next entry's (a million entries at a recovery)
            out.discardWritten();
        }
    }

    /** @return false when the command is unknown. */
    private boolean execute(
        final Connection connection, final RespRequest request, final RespWriter out, final boolean live)
    {
        final UnsafeBuffer bytes = request.bytes();
        Command command = table.lookup(bytes, request.argOffset(0), request.argLength(0));
        if (command == null)
        {
            stats.unknownCommands++;
            out.error(unknownCommandMessage(request));
            return false;
        }
        if (command.isContainer() && (request.argCount() >= 2 || command.handler() == null))
        {
            if (request.argCount() < 2)
            {
                out.error("ERR wrong number of arguments for '" + command.fullName() + "' command");
                return true;
            }
            final Command subcommand = table.lookupSubcommand(
                command, bytes, request.argOffset(1), request.argLength(1));
            if (subcommand == null)
            {
                out.error("ERR unknown subcommand '" + quote(request, 1, MAX_QUOTED_BYTES) + "'. Try " +
                    command.name().toUpperCase() + " HELP.");
                return true;
            }
            command = subcommand;
        }
        if (!command.acceptsArgCount(request.argCount()))
        {
            out.error("ERR wrong number of arguments for '" + command.fullName() + "' command");
            return true;
        }
        if (live)
        {
            if ((command.flags() & Command.SUBSCRIBED) == 0 && connection.isSubscribed() && !connection.isResp3())
            {
                out.error("ERR Can't execute '" + command.fullName() + "': only (P|S)SUBSCRIBE / " +
                    "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
                return true;
            }
            for (final CommandGate gate : gates)
            {
                if (!gate.admit(command, connection, request, out))
                {
                    return true;
                }
            }
            if ((command.flags() & Command.WRITE) != 0)
            {
                sequence(command, request);
            }
        }
        connection.lastCommand(command);
        command.countCall();
        runHandler(command, connection, request, out);
        return true;
    }

    /**
     * Logs a write before it runs, unless its {@link StateChangeCheck} finds it changes nothing: then it runs unlogged,
     * as a read does, and its reply still waits in the connection's output behind every earlier reply, released by the
     * same group commit as any read's.
     */
    private void sequence(final Command command, final RespRequest request)
    {
        final StateChangeCheck check = command.stateChangeCheck();
        if (check == null || check.changesState(request))
        {
            sequencer.sequence(request.buffer(), request.frameOffset(), request.frameLength());
        }
        else
        {
            stats.unloggedWrites++;
        }
    }

    private static void runHandler(
        final Command command, final Connection connection, final RespRequest request, final RespWriter out)
    {
        final long mark = out.mark();
        try
        {
            command.handler().handle(connection, request, out);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("command {} failed on connection {}", command.fullName(), connection.id(), ex);
            out.rewind(mark);
            out.error("ERR internal error in '" + command.fullName() + "'");
        }
    }

    private static String unknownCommandMessage(final RespRequest request)
    {
        final StringBuilder args = new StringBuilder();
        for (int i = 1; i < request.argCount() && args.length() < MAX_QUOTED_BYTES; i++)
        {
            args.append('\'').append(quote(request, i, MAX_QUOTED_BYTES - args.length())).append("' ");
        }
        return "ERR unknown command '" + quote(request, 0, MAX_QUOTED_BYTES) + "', with args beginning with: " + args;
    }

    /** An argument as text for an error message, cut at {@code maxBytes}; CR and LF are replaced later. */
    private static String quote(final RespRequest request, final int i, final int maxBytes)
    {
        final int length = Math.min(request.argLength(i), Math.max(0, maxBytes));
        return request.buffer().toString(request.argOffset(i), length, StandardCharsets.UTF_8);
    }
}
