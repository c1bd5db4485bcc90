package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code CONFIG GET} with glob patterns, over the parameters tools ask for ({@code redis-benchmark} asks for
 * {@code save} and {@code appendonly}); an unknown parameter matches nothing, as in Redis. The node is configured at
 * start ({@code --config}), so {@code CONFIG SET} answers a clear error.
 */
final class ConfigCommands implements CommandGroup
{
    private static final byte[] SET_NOT_SUPPORTED = RespWriter.encodeError(
        "ERR CONFIG SET is not supported: configure the node at start with --config");

    private static final List<String> HELP = List.of(
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "HELP",
        "    Print this help.");

    public void register(final CommandTable table, final EngineNode node)
    {
        final int flags = Command.ADMIN | Command.STALE | Command.LOADING;
        table.registerSubcommand("CONFIG", "GET", -3, flags, ConfigCommands::get)
            .group("server").summary("Returns the values of configuration parameters").syntax("<parameter> ...");
        table.registerSubcommand("CONFIG", "SET", -4, flags, (connection, request, out) -> out.raw(SET_NOT_SUPPORTED))
            .group("server").summary("Not supported: the node is configured at start")
            .syntax("<parameter> <value> ...");
        table.registerSubcommand("CONFIG", "HELP", 2, flags, (connection, request, out) ->
        {
            out.arrayHeader(HELP.size());
            for (final String line : HELP)
            {
                out.simpleString(line);
            }
        }).group("server").summary("Returns helpful text about the different subcommands");
    }

    private static void get(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final Map<String, String> parameters = parameters(connection.node());
        final Map<String, String> matched = new LinkedHashMap<>();
        for (int i = 2; i < request.argCount(); i++)
        {
            final String pattern = request.argString(i);
            for (final Map.Entry<String, String> parameter : parameters.entrySet())
            {
                if (GlobMatcher.matches(pattern, parameter.getKey(), true))
                {
                    matched.put(parameter.getKey(), parameter.getValue());
                }
            }
        }
        out.mapHeader(matched.size());
        for (final Map.Entry<String, String> parameter : matched.entrySet())
        {
            out.bulk(parameter.getKey()).bulkUtf8(parameter.getValue());
        }
    }

    private static Map<String, String> parameters(final EngineNode node)
    {
        final EngineNodeContext context = node.context();
        final int maxOutput = context.maxPendingOutput();
        final Map<String, String> parameters = new LinkedHashMap<>();
        // the node snapshots and logs on its own terms, not Redis's RDB and AOF: these say so to Redis tools
        parameters.put("save", "");
        parameters.put("appendonly", "no");
        parameters.put("port", String.valueOf(node.port()));
        parameters.put("bind", context.bindAddress());
        parameters.put("dir", context.dataDir() == null ? "" : context.dataDir().toAbsolutePath().toString());
        parameters.put("databases", "1");
        parameters.put("maxclients", String.valueOf(context.maxClients()));
        parameters.put("maxmemory", "0");
        parameters.put("timeout", "0");
        parameters.put("io-threads", "1");
        parameters.put("proto-max-bulk-len", String.valueOf(context.maxBulkLength()));
        parameters.put("client-query-buffer-limit", String.valueOf(context.maxQueryBuffer()));
        parameters.put("client-output-buffer-limit",
            "normal " + maxOutput + " 0 0 slave " + maxOutput + " 0 0 pubsub " + maxOutput + " 0 0");
        return parameters;
    }
}
