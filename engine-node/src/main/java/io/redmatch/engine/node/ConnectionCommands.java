package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

import java.nio.charset.StandardCharsets;

/**
 * Commands about the connection itself, with Redis's replies: {@code PING}, {@code ECHO}, {@code HELLO},
 * {@code AUTH}, {@code SELECT}, {@code QUIT}, {@code RESET}.
 * <p>
 * There are no passwords or ACLs yet (SPEC §10): a connection needs no {@code AUTH}, and {@code AUTH} (alone or in
 * {@code HELLO}) answers a clear error rather than pretending to check anything.
 */
final class ConnectionCommands implements CommandGroup
{
    private static final byte[] PONG = RespWriter.encodeSimpleString("PONG");
    private static final byte[] RESET = RespWriter.encodeSimpleString("RESET");
    private static final byte[] PONG_LOWER = ascii("pong");
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] AUTH_NOT_SUPPORTED = RespWriter.encodeError(
        "ERR AUTH is not supported yet: this node has no passwords or ACLs, connections need no AUTH");
    private static final byte[] NOT_AN_INTEGER = RespWriter.encodeError(
        "ERR value is not an integer or out of range");
    private static final byte[] DB_OUT_OF_RANGE = RespWriter.encodeError("ERR DB index is out of range");
    private static final byte[] PROTOCOL_NOT_AN_INTEGER = RespWriter.encodeError(
        "ERR Protocol version is not an integer or out of range");
    private static final byte[] NO_PROTO = RespWriter.encodeError("NOPROTO unsupported protocol version");
    private static final byte[] AUTH_TOKEN = ascii("AUTH");
    private static final byte[] SETNAME_TOKEN = ascii("SETNAME");

    public void register(final CommandTable table, final EngineNode node)
    {
        final int always = Command.FAST | Command.STALE | Command.LOADING | Command.NO_AUTH;
        table.register("PING", -1, always | Command.SUBSCRIBED, ConnectionCommands::ping)
            .group("connection").summary("Returns the server's liveliness response").syntax("[message]");
        table.register("ECHO", 2, Command.FAST | Command.STALE | Command.LOADING, ConnectionCommands::echo)
            .group("connection").summary("Returns the given string").syntax("<message>");
        table.register("HELLO", -1, always, ConnectionCommands::hello)
            .group("connection").summary("Handshakes with the server, choosing RESP2 or RESP3")
            .syntax("[protover [AUTH <username> <password>] [SETNAME <clientname>]]");
        table.register("AUTH", -2, always, (connection, request, out) -> out.raw(AUTH_NOT_SUPPORTED))
            .group("connection").summary("Authenticates the connection (not supported yet)")
            .syntax("[username] <password>");
        table.register("SELECT", 2, Command.FAST | Command.STALE | Command.LOADING, ConnectionCommands::select)
            .group("connection").summary("Selects database 0, the only one").syntax("<index>");
        table.register("QUIT", -1, always | Command.SUBSCRIBED, ConnectionCommands::quit)
            .group("connection").summary("Closes the connection");
        table.register("RESET", 1, always | Command.SUBSCRIBED, ConnectionCommands::reset)
            .group("connection").summary("Resets the connection: RESP2, no name, no subscriptions");
    }

    private static void ping(final Connection connection, final RespRequest request, final RespWriter out)
    {
        if (request.argCount() > 2)
        {
            out.error("ERR wrong number of arguments for 'ping' command");
            return;
        }
        if (connection.isSubscribed() && !connection.isResp3())
        {
            // RESP2 subscribed mode only has room for arrays, so Redis answers ["pong", message]
            out.arrayHeader(2).bulk(PONG_LOWER);
            if (request.argCount() == 2)
            {
                out.bulk(request.buffer(), request.argOffset(1), request.argLength(1));
            }
            else
            {
                out.bulk(EMPTY);
            }
            return;
        }
        if (request.argCount() == 2)
        {
            out.bulk(request.buffer(), request.argOffset(1), request.argLength(1));
        }
        else
        {
            out.raw(PONG);
        }
    }

    private static void echo(final Connection connection, final RespRequest request, final RespWriter out)
    {
        out.bulk(request.buffer(), request.argOffset(1), request.argLength(1));
    }

    private static void hello(final Connection connection, final RespRequest request, final RespWriter out)
    {
        int protocol = connection.protocol();
        String name = null;
        if (request.argCount() >= 2)
        {
            final long version = request.argLong(1, -1);
            if (version < 0 || version > Integer.MAX_VALUE)
            {
                out.raw(PROTOCOL_NOT_AN_INTEGER);
                return;
            }
            if (version != RespWriter.PROTOCOL_2 && version != RespWriter.PROTOCOL_3)
            {
                out.raw(NO_PROTO);
                return;
            }
            protocol = (int)version;
            for (int i = 2; i < request.argCount(); i++)
            {
                final boolean more = i + 1 < request.argCount();
                if (request.argEqualsIgnoreCase(i, AUTH_TOKEN) && i + 2 < request.argCount())
                {
                    out.raw(AUTH_NOT_SUPPORTED);
                    return;
                }
                else if (request.argEqualsIgnoreCase(i, SETNAME_TOKEN) && more)
                {
                    name = request.argString(i + 1);
                    if (!ClientNames.isValid(name))
                    {
                        out.raw(ClientCommands.INVALID_NAME);
                        return;
                    }
                    i++;
                }
                else
                {
                    out.error("ERR Syntax error in HELLO option '" + request.argString(i) + "'");
                    return;
                }
            }
        }
        connection.writer().protocol(protocol);
        if (name != null)
        {
            connection.name(name);
        }
        final EngineNode node = connection.node();
        out.mapHeader(7)
            .bulk("server").bulk("redmatch")
            .bulk("version").bulk(EngineNode.REDIS_VERSION)
            .bulk("proto").integer(protocol)
            .bulk("id").integer(connection.id())
            .bulk("mode").bulk("standalone")
            .bulk("role").bulk(node.role())
            .bulk("modules").arrayHeader(0);
    }

    private static void select(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final long index = request.argLong(1, Long.MIN_VALUE);
        if (index == Long.MIN_VALUE || index < Integer.MIN_VALUE || index > Integer.MAX_VALUE)
        {
            out.raw(NOT_AN_INTEGER);
        }
        else if (index != 0)
        {
            out.raw(DB_OUT_OF_RANGE);
        }
        else
        {
            out.ok();
        }
    }

    private static void quit(final Connection connection, final RespRequest request, final RespWriter out)
    {
        out.ok();
        connection.close();
    }

    private static void reset(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final EngineNode node = connection.node();
        node.pubSub().unsubscribeAll(connection);
        connection.writer().protocol(RespWriter.PROTOCOL_2);
        connection.name("");
        out.raw(RESET);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
