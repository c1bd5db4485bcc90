package io.redmatch.engine.node;

/**
 * A set of commands that belong together (connection commands, trading, streams, replication...), registered with
 * the node's {@link CommandTable} when the node starts. The node's groups are listed in
 * {@link CommandGroups#standard()}; a new group is added there.
 */
public interface CommandGroup
{
    /**
     * Registers the group's commands, INFO sections and gates. Called once, on the starting thread, before the node
     * accepts connections.
     *
     * @param table the node's command table.
     * @param node  the node, for its {@link EngineNode#sequencer()}, {@link EngineNode#pubSub()},
     *              {@link EngineNode#info()} and the like.
     */
    void register(CommandTable table, EngineNode node);

    /**
     * Called on the node's event loop once the server listens, to start what needs the event loop (timers, say). A
     * group that rebuilds the state (the command log's) calls {@link EngineNode#beginRecovery()} here and
     * {@link EngineNode#recovered()} when done.
     *
     * @param node the node.
     */
    default void onStart(final EngineNode node)
    {
    }

    /** Releases what the group holds when the node stops, on the node's event loop. */
    default void close()
    {
    }
}
