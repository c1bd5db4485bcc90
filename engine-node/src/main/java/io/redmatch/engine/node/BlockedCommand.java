package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespWriter;

/**
 * A command that is waiting, such as {@code XREAD BLOCK}: its connection executes nothing else until it completes,
 * when a key it waits on is signalled and it finds what it waited for, or when its timeout passes.
 * <p>
 * Created by the command's handler with whatever the command needs later (the handler's request is gone by then:
 * copy the keys and ids), and passed to {@link Connection#block(BlockedCommand, long, String...)}. Called on the
 * node's event loop, outside any other command, after the command or task that signalled has finished.
 */
public interface BlockedCommand
{
    /**
     * A key the command waits on was signalled with {@link EngineNode#signal(String)}.
     *
     * @param connection the blocked connection.
     * @param key        the key that was signalled.
     * @param out        where the reply goes.
     * @return true when it wrote its reply and is complete; false to keep waiting (nothing written).
     */
    boolean onSignal(Connection connection, String key, RespWriter out);

    /**
     * The timeout passed before the command completed: write the timeout reply ({@code XREAD} replies a nil array).
     *
     * @param connection the blocked connection.
     * @param out        where the reply goes.
     */
    void onTimeout(Connection connection, RespWriter out);

    /** The connection closed while the command was blocked; nothing can be written any more. */
    default void onAbort(final Connection connection)
    {
    }
}
