package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespWriter;

/**
 * {@code ROLE} and {@code INFO replication} of a node that has no standby yet: it is always the primary of epoch 0,
 * and its replication offset is the sequencer's log position, so Redis tooling reads the same shapes it will read
 * once replication exists.
 */
final class ReplicationCommands implements CommandGroup
{
    private static final byte[] MASTER = OrderRecordWriter.ascii("master");

    public void register(final CommandTable table, final EngineNode node)
    {
        final Sequencer sequencer = node.sequencer();
        table.register("ROLE", 1, Command.FAST | Command.STALE | Command.LOADING, (c, r, out) -> role(sequencer, out))
            .group("replication").summary("The node's role, Redis's shape: master, offset, replicas")
            .syntax("ROLE");
        node.info().register("replication", info -> replication(node, info));
    }

    private static void role(final Sequencer sequencer, final RespWriter out)
    {
        out.arrayHeader(3).bulk(MASTER).integer(sequencer.logSeq()).arrayHeader(0);
    }

    private static void replication(final EngineNode node, final StringBuilder info)
    {
        final Sequencer sequencer = node.sequencer();
        InfoSection.field(info, "role", "master");
        InfoSection.field(info, "connected_slaves", 0);
        InfoSection.field(info, "master_repl_offset", sequencer.logSeq());
        InfoSection.field(info, "epoch", 0);
        InfoSection.field(info, "log_position", sequencer.logSeq());
        InfoSection.field(info, "committed_position", node.committedLogSeq());
        InfoSection.field(info, "replication", "none (no standby support yet)");
    }
}
