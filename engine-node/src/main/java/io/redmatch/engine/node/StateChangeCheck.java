package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;

/**
 * Tells, just before a {@link Command#WRITE} command would be sequenced, whether it will change any state. A command
 * that provably will not (an {@code XREADGROUP} that finds nothing to deliver, an {@code XACK} of entries that are
 * not pending) is neither stamped nor logged: its handler runs as a read does, writes its reply and must leave every
 * piece of state as it found it, since nothing of it would be replayed. Everything else is logged as usual.
 * <p>
 * The check and the handler must agree: the check answers false only when the handler, run at once on the same
 * state, changes nothing. Build both on the same predicates so they cannot drift apart; when in doubt, answer true
 * (logging a command that changes nothing costs log space, skipping one that changes something breaks replay).
 * <p>
 * Runs on the event loop, after the gates, so the command is known to be admitted; it must not allocate.
 */
@FunctionalInterface
public interface StateChangeCheck
{
    /**
     * Decides whether a command must be logged.
     *
     * @param request its arguments, as the handler will see them.
     * @return false only when running the command now changes no state at all, whatever it replies (an error reply
     * included); true otherwise.
     */
    boolean changesState(RespRequest request);
}
