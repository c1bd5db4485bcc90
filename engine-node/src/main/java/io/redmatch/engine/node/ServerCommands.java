package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static io.redmatch.engine.node.InfoSection.field;

/**
 * Server-level commands: {@code INFO} (with the {@code server}, {@code clients} and {@code stats} sections; other
 * groups add theirs to {@link EngineNode#info()}), {@code TIME} and {@code SHUTDOWN}.
 */
final class ServerCommands implements CommandGroup
{
    private static final Logger LOG = LoggerFactory.getLogger(ServerCommands.class);

    public void register(final CommandTable table, final EngineNode node)
    {
        table.register("INFO", -1, Command.STALE | Command.LOADING, ServerCommands::info)
            .group("server").summary("Returns information and statistics about the node")
            .syntax("[section ...]");
        table.register("TIME", 1, Command.FAST | Command.STALE | Command.LOADING, ServerCommands::time)
            .group("server").summary("Returns the server time: seconds and microseconds");
        table.register("SHUTDOWN", -1, Command.ADMIN | Command.STALE | Command.LOADING, ServerCommands::shutdown)
            .group("server").summary("Stops the node").syntax("[NOSAVE|SAVE] [NOW] [FORCE]");

        node.info().register("server", (info) -> server(node, info));
        node.info().register("clients", (info) -> clients(node, info));
        node.info().register("stats", (info) -> stats(node, info));
    }

    private static void info(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final List<String> sections = new ArrayList<>(request.argCount());
        for (int i = 1; i < request.argCount(); i++)
        {
            sections.add(request.argString(i));
        }
        out.verbatim(connection.node().info().render(sections));
    }

    private static void time(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final long micros = Sequencer.systemMicros();
        out.arrayHeader(2).bulk(micros / 1_000_000).bulk(micros % 1_000_000);
    }

    private static void shutdown(final Connection connection, final RespRequest request, final RespWriter out)
    {
        LOG.info("SHUTDOWN requested by client id={} addr={}", connection.id(), connection.remoteAddress());
        // like Redis, no reply: the connection closes as the node stops
        connection.node().shutdown();
    }

    private static void server(final EngineNode node, final StringBuilder info)
    {
        final EngineNodeContext context = node.context();
        final long uptimeSeconds = (System.currentTimeMillis() - node.startMillis()) / 1000;
        field(info, "redis_version", EngineNode.REDIS_VERSION);
        field(info, "redmatch_version", EngineNode.VERSION);
        field(info, "redis_mode", "standalone");
        field(info, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch"));
        field(info, "arch_bits", System.getProperty("sun.arch.data.model", "64"));
        field(info, "multiplexing_api", node.transportName());
        field(info, "java_version", System.getProperty("java.version"));
        field(info, "process_id", ProcessHandle.current().pid());
        field(info, "run_id", node.runId());
        field(info, "tcp_port", node.port());
        field(info, "bind", context.bindAddress());
        field(info, "server_time_usec", Sequencer.systemMicros());
        field(info, "uptime_in_seconds", uptimeSeconds);
        field(info, "uptime_in_days", uptimeSeconds / 86_400);
        field(info, "executable", ProcessHandle.current().info().command().orElse(""));
        field(info, "config_file", context.configFile() == null ? "" : context.configFile().toAbsolutePath());
        field(info, "data_dir", context.dataDir() == null ? "" : context.dataDir().toAbsolutePath());
    }

    private static void clients(final EngineNode node, final StringBuilder info)
    {
        int pubSubClients = 0;
        for (final Connection connection : node.connections())
        {
            if (connection.isSubscribed())
            {
                pubSubClients++;
            }
        }
        field(info, "connected_clients", node.connectionCount());
        field(info, "maxclients", node.context().maxClients());
        field(info, "blocked_clients", node.blockingKeys().blockedCount());
        field(info, "pubsub_clients", pubSubClients);
    }

    private static void stats(final EngineNode node, final StringBuilder info)
    {
        final ServerStats stats = node.stats();
        final PubSub pubSub = node.pubSub();
        field(info, "total_connections_received", stats.connectionsReceived());
        field(info, "total_commands_processed", stats.commandsProcessed());
        field(info, "total_unlogged_writes", stats.unloggedWrites());
        field(info, "total_net_input_bytes", stats.netInputBytes());
        field(info, "total_net_output_bytes", stats.netOutputBytes());
        field(info, "rejected_connections", stats.connectionsRejected());
        field(info, "pubsub_channels", pubSub.channelCount());
        field(info, "pubsub_patterns", pubSub.patternCount());
        field(info, "pubsub_messages_published", pubSub.messagesPublished());
        field(info, "total_error_replies", stats.errorReplies());
        field(info, "unknown_commands", stats.unknownCommands());
        field(info, "total_protocol_errors", stats.protocolErrors());
        field(info, "client_query_buffer_limit_disconnections", stats.queryLimitDisconnections());
        field(info, "client_output_buffer_limit_disconnections", stats.outputLimitDisconnections());
    }
}
