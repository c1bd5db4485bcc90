package io.redmatch.engine.node;

import io.redmatch.engine.log.PersistenceCommands;
import io.redmatch.engine.replication.ReplicationCommands;
import io.redmatch.engine.stream.FillStreamRegistry;
import io.redmatch.engine.stream.StreamCommands;

import java.util.List;

/**
 * The command groups every engine node registers, in order. This list is the one place a new group is plugged in:
 * add it here (after the connection-level groups, which others may rely on).
 * <p>
 * After these and any added with {@link EngineNodeContext#addCommandGroup(CommandGroup)}, the node registers
 * {@link UnsupportedCommands}, whose "not supported yet" replies give way to any real implementation registered
 * before them.
 */
public final class CommandGroups
{
    private CommandGroups()
    {
    }

    /** @return new instances of the standard groups. */
    public static List<CommandGroup> standard()
    {
        final FillStreamRegistry streams = new FillStreamRegistry();
        return List.of(
            new ConnectionCommands(),
            new ClientCommands(),
            new ServerCommands(),
            new ConfigCommands(),
            new IntrospectionCommands(),
            new PubSubCommands(),
            new MatchingCommandGroup(streams),
            new StreamCommands(streams),
            new PersistenceCommands(),
            new ReplicationCommands());
    }
}
