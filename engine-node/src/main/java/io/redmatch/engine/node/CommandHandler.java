package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

/**
 * Executes one command on the node's event loop, the only thread that touches the node's state.
 * <p>
 * The dispatcher has already checked the arity, the connection's mode and the node's {@link CommandGate}s, and for a
 * {@link Command#WRITE} command has stamped and logged it with the {@link Sequencer} (unless its
 * {@link StateChangeCheck} found it changes nothing: then the handler must change nothing). The handler writes
 * exactly one reply to {@code out}, or none when it blocks the connection with
 * {@link Connection#block(BlockedCommand, long, String...)}. It must not keep {@code request}: its bytes are reused
 * once the handler returns.
 */
@FunctionalInterface
public interface CommandHandler
{
    /**
     * Executes the command.
     *
     * @param connection the client that sent it.
     * @param request    its arguments; argument 0 is the command name (for a subcommand, argument 1 is its name).
     * @param out        where the reply goes, in the connection's protocol.
     */
    void handle(Connection connection, RespRequest request, RespWriter out);
}
