package io.redmatch.router;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

import java.util.Locale;
import java.util.Map;

/**
 * {@code INFO [server|clients|stats|cluster|all|default|everything]} about the router itself: the node sections
 * (replication, persistence, pairs) belong to the nodes and are empty here, as Redis answers an unknown section.
 * {@code ROUTER.SHARDS} lists the shard map with each shard's members and current primary.
 */
final class RouterInfo
{
    private RouterInfo()
    {
    }

    static void info(final ClientSession session, final RespRequest request)
    {
        final StringBuilder text = new StringBuilder();
        final Router router = session.router();
        boolean all = request.argCount() == 1;
        boolean server = false;
        boolean clients = false;
        boolean stats = false;
        boolean cluster = false;
        for (int i = 1; i < request.argCount(); i++)
        {
            switch (request.argString(i).toLowerCase(Locale.ROOT))
            {
                case "all", "default", "everything" -> all = true;
                case "server" -> server = true;
                case "clients" -> clients = true;
                case "stats" -> stats = true;
                case "cluster" -> cluster = true;
                default ->
                {
                }
            }
        }
        if (all || server)
        {
            section(text, "Server");
            field(text, "redis_version", Router.VERSION);
            field(text, "redmatch_role", "router");
            field(text, "process_id", Router.processId());
            field(text, "tcp_port", router.port());
            final long uptime = (System.currentTimeMillis() - router.startedAtMillis()) / 1000;
            field(text, "uptime_in_seconds", uptime);
            field(text, "event_loops", router.context().threads());
            field(text, "shard_file", router.context().shardFile());
        }
        if (all || clients)
        {
            section(text, "Clients");
            field(text, "connected_clients", router.stats().connectedClients.get());
            field(text, "maxclients", router.context().maxClients());
            field(text, "upstream_connections_shared", router.sharedUpstreamCount());
        }
        if (all || stats)
        {
            final RouterStats counters = router.stats();
            section(text, "Stats");
            field(text, "total_connections_received", counters.connectionsReceived.sum());
            field(text, "rejected_connections", counters.connectionsRejected.sum());
            field(text, "total_commands_processed", counters.commandsProcessed.sum());
            field(text, "commands_forwarded", counters.commandsForwarded.sum());
            field(text, "tryagain_replies", counters.tryAgainReplies.sum());
            field(text, "upstream_timeouts", counters.upstreamTimeouts.sum());
            field(text, "protocol_errors", counters.protocolErrors.sum());
            field(text, "output_limit_disconnections", counters.outputLimitDisconnections.sum());
        }
        if (all || cluster)
        {
            cluster(text, router.topology());
        }
        session.beginLocal().bulkUtf8(text.toString());
        session.endLocal();
    }

    private static void cluster(final StringBuilder text, final Topology topology)
    {
        final Topology.View view = topology.view();
        section(text, "Cluster");
        field(text, "shards", view.shardList().size());
        field(text, "pairs", view.map().pairs().size());
        int index = 0;
        for (final ShardState shard : view.shardList())
        {
            final StringBuilder pairs = new StringBuilder();
            for (final Map.Entry<String, String> pair : view.map().pairs().entrySet())
            {
                if (pair.getValue().equals(shard.name()))
                {
                    pairs.append(pairs.length() == 0 ? "" : "|").append(pair.getKey());
                }
            }
            field(text, "shard" + index++, "name=" + shard.name() + ",primary=" +
                LocalCommands.describe(shard.primary()) + ",epoch=" + shard.epoch() + ",members=" +
                String.join("|", shard.members().stream().map(UpstreamConnection::describe).toList()) +
                ",pairs=" + pairs);
        }
        final String error = topology.lastReloadError();
        field(text, "last_reload_error", error == null ? "none" : error.replace('\n', ' '));
    }

    static void shards(final ClientSession session)
    {
        final Topology.View view = session.router().topology().view();
        final RespWriter out = session.beginLocal().arrayHeader(view.shardList().size());
        for (final ShardState shard : view.shardList())
        {
            final long pairs = view.map().pairs().values().stream().filter(shard.name()::equals).count();
            out.mapHeader(6)
                .bulk("shard").bulk(shard.name())
                .bulk("primary");
            if (shard.primary() == null)
            {
                out.nil();
            }
            else
            {
                out.bulk(LocalCommands.describe(shard.primary()));
            }
            out.bulk("epoch").integer(shard.epoch())
                .bulk("members").arrayHeader(shard.members().size());
            shard.members().forEach(member -> out.bulk(UpstreamConnection.describe(member)));
            out.bulk("pairs").arrayHeader((int)pairs);
            view.map().pairs().forEach((pair, owner) ->
            {
                if (owner.equals(shard.name()))
                {
                    out.bulk(pair);
                }
            });
            out.bulk("probe").bulkUtf8(shard.lastProbe());
        }
        session.endLocal();
    }

    private static void section(final StringBuilder text, final String name)
    {
        if (text.length() > 0)
        {
            text.append("\r\n");
        }
        text.append("# ").append(name).append("\r\n");
    }

    private static void field(final StringBuilder text, final String name, final Object value)
    {
        text.append(name).append(':').append(value).append("\r\n");
    }
}
