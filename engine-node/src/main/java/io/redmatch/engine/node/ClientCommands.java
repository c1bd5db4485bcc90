package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code CLIENT SETNAME|GETNAME|ID|LIST|INFO|SETINFO|HELP}, with Redis's replies and {@code CLIENT LIST} line format
 * (the fields that have a meaning here carry real values; memory fields of Redis's allocator are 0).
 */
final class ClientCommands implements CommandGroup
{
    static final byte[] INVALID_NAME = RespWriter.encodeError(
        "ERR Client names cannot contain spaces, newlines or special characters.");

    private static final List<String> HELP = List.of(
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "LIST [TYPE (NORMAL|PUBSUB)] [ID <id> [<id> ...]]",
        "    Return information about client connections.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are: LIB-NAME, LIB-VER.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "HELP",
        "    Print this help.");

    public void register(final CommandTable table, final EngineNode node)
    {
        final int flags = Command.STALE | Command.LOADING;
        table.registerSubcommand("CLIENT", "SETNAME", 3, flags | Command.FAST, ClientCommands::setName)
            .group("connection").summary("Sets the connection name").syntax("<connection-name>");
        table.registerSubcommand("CLIENT", "GETNAME", 2, flags | Command.FAST, ClientCommands::getName)
            .group("connection").summary("Returns the name of the connection");
        table.registerSubcommand("CLIENT", "ID", 2, flags | Command.FAST, (connection, request, out) ->
            out.integer(connection.id()))
            .group("connection").summary("Returns the unique client ID of the connection");
        table.registerSubcommand("CLIENT", "LIST", -2, flags | Command.ADMIN, ClientCommands::list)
            .group("connection").summary("Lists open connections")
            .syntax("[TYPE NORMAL|PUBSUB] [ID <client-id> ...]");
        table.registerSubcommand("CLIENT", "INFO", 2, flags, (connection, request, out) ->
            out.verbatim(describe(connection, System.currentTimeMillis()).append('\n')))
            .group("connection").summary("Returns information about the connection");
        table.registerSubcommand("CLIENT", "SETINFO", 4, flags, ClientCommands::setInfo)
            .group("connection").summary("Sets information about the client library")
            .syntax("LIB-NAME|LIB-VER <value>");
        table.registerSubcommand("CLIENT", "HELP", 2, flags, (connection, request, out) ->
        {
            out.arrayHeader(HELP.size());
            for (final String line : HELP)
            {
                out.simpleString(line);
            }
        }).group("connection").summary("Returns helpful text about the different subcommands");
    }

    private static void setName(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final String name = request.argString(2);
        if (!ClientNames.isValid(name))
        {
            out.raw(INVALID_NAME);
            return;
        }
        connection.name(name);
        out.ok();
    }

    private static void getName(final Connection connection, final RespRequest request, final RespWriter out)
    {
        if (connection.name().isEmpty())
        {
            out.nil();
        }
        else
        {
            out.bulkUtf8(connection.name());
        }
    }

    private static void setInfo(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final String value = request.argString(3);
        final boolean libName = request.argEqualsIgnoreCase(2, "LIB-NAME");
        if (!libName && !request.argEqualsIgnoreCase(2, "LIB-VER"))
        {
            out.error("ERR Unrecognized option '" + request.argString(2) + "'");
            return;
        }
        if (!ClientNames.isValid(value))
        {
            out.error("ERR " + (libName ? "lib-name" : "lib-ver") +
                " cannot contain spaces, newlines or special characters.");
            return;
        }
        if (libName)
        {
            connection.libName(value);
        }
        else
        {
            connection.libVersion(value);
        }
        out.ok();
    }

    private static void list(final Connection connection, final RespRequest request, final RespWriter out)
    {
        Boolean pubSubOnly = null;
        List<Long> ids = null;
        for (int i = 2; i < request.argCount(); i++)
        {
            if (request.argEqualsIgnoreCase(i, "TYPE") && i + 1 < request.argCount())
            {
                i++;
                if (request.argEqualsIgnoreCase(i, "NORMAL"))
                {
                    pubSubOnly = Boolean.FALSE;
                }
                else if (request.argEqualsIgnoreCase(i, "PUBSUB"))
                {
                    pubSubOnly = Boolean.TRUE;
                }
                else
                {
                    out.error("ERR Unknown client type '" + request.argString(i) + "'");
                    return;
                }
            }
            else if (request.argEqualsIgnoreCase(i, "ID") && i + 1 < request.argCount())
            {
                ids = new ArrayList<>();
                for (i++; i < request.argCount(); i++)
                {
                    final long id = request.argLong(i, -1);
                    if (id <= 0)
                    {
                        out.error("ERR Invalid client ID");
                        return;
                    }
                    ids.add(id);
                }
            }
            else
            {
                out.error("ERR syntax error");
                return;
            }
        }
        final long now = System.currentTimeMillis();
        final StringBuilder text = new StringBuilder(256);
        for (final Connection client : connection.node().connections())
        {
            if ((pubSubOnly != null && pubSubOnly != client.isSubscribed()) ||
                (ids != null && !ids.contains(client.id())))
            {
                continue;
            }
            text.append(describe(client, now)).append('\n');
        }
        out.verbatim(text);
    }

    /** One {@code CLIENT LIST} line, in Redis 7's field order. */
    static StringBuilder describe(final Connection client, final long nowMillis)
    {
        final Command last = client.lastCommand();
        final StringBuilder line = new StringBuilder(256);
        line.append("id=").append(client.id())
            .append(" addr=").append(client.remoteAddress())
            .append(" laddr=").append(client.localAddress())
            .append(" fd=-1")
            .append(" name=").append(client.name())
            .append(" age=").append((nowMillis - client.createdMillis()) / 1000)
            .append(" idle=").append((nowMillis - client.lastInteractionMillis()) / 1000)
            .append(" flags=").append(client.isSubscribed() ? 'P' : client.isBlocked() ? 'b' : 'N')
            .append(" db=0")
            .append(" sub=").append(client.channelCount())
            .append(" psub=").append(client.patternCount())
            .append(" ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0")
            .append(" obl=0 oll=0 omem=").append(client.pendingOutputBytes())
            .append(" tot-mem=0 events=r")
            .append(" cmd=").append(last == null ? "NULL" : last.fullName())
            .append(" user=default redir=-1")
            .append(" resp=").append(client.protocol())
            .append(" lib-name=").append(client.libName())
            .append(" lib-ver=").append(client.libVersion());
        return line;
    }
}
