package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespWriter;

/**
 * Clear errors for Redis commands the node will have but does not yet: replication commands answer
 * {@code -ERR ... not supported yet} instead of {@code unknown command}, so tools learn why. Registered last, with
 * {@link CommandTable#registerIfAbsent}, so a real implementation registered by a group gives them no chance.
 */
final class UnsupportedCommands implements CommandGroup
{
    public void register(final CommandTable table, final EngineNode node)
    {
        notYet(table, "REPLICAOF", 3, "<host> <port> | NO ONE");
        notYet(table, "SLAVEOF", 3, "<host> <port> | NO ONE");
        notYet(table, "FAILOVER", -1, "[TO <host> <port> [FORCE]] [ABORT] [TIMEOUT <milliseconds>]");
        notYet(table, "WAIT", 3, "<numreplicas> <timeout>");
    }

    private static void notYet(final CommandTable table, final String name, final int arity, final String syntax)
    {
        final byte[] error = RespWriter.encodeError("ERR " + name + " is not supported yet by this node");
        final Command command = table.registerIfAbsent(name, arity, Command.ADMIN | Command.STALE,
            (connection, request, out) -> out.raw(error));
        if (command != null)
        {
            command.group("replication").summary(name + " (not supported yet)").syntax(syntax);
        }
    }
}
