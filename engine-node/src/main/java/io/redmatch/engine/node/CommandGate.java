package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

/**
 * A check every command passes after its arity and before it is sequenced and handled, for refusals that depend on
 * the node's state rather than the command's arguments: {@code -NOAUTH}, {@code -LOADING}, {@code -READONLY},
 * {@code -TRYAGAIN}, {@code -MISCONF}. Gates run in the order they were added with
 * {@link EngineNode#addGate(CommandGate)}; add them in SPEC §3's order of checks. Runs on the event loop, for every
 * command, so it must be cheap: test {@link Command#flags()} first.
 */
@FunctionalInterface
public interface CommandGate
{
    /**
     * Decides whether a command may run.
     *
     * @param command    the command (the subcommand when it has one).
     * @param connection the client that sent it.
     * @param request    its arguments.
     * @param out        where to write the refusal.
     * @return true to let it run; false after writing the error reply that refuses it.
     */
    boolean admit(Command command, Connection connection, RespRequest request, RespWriter out);
}
