package io.redmatch.router;

import io.redmatch.engine.node.ClientNames;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Commands the router answers itself: connection commands (each client connection has its own protocol version,
 * name and id at the router), {@code TIME} (the router's clock), {@code INFO} (the router's sections and a cluster
 * section), {@code ROLE} (the router is a writable endpoint: {@code master} with no replicas), the router's own
 * {@code ROUTER.*} commands, and refusals of node-scoped commands.
 */
final class LocalCommands
{
    private static final byte[] PONG = RespWriter.encodeSimpleString("PONG");
    private static final byte[] OK = RespWriter.encodeSimpleString("OK");
    private static final byte[] RESET_REPLY = RespWriter.encodeSimpleString("RESET");
    private static final int MAX_QUOTED = 128;

    private LocalCommands()
    {
    }

    static void handle(final CommandKind kind, final ClientSession session, final RespRequest request)
    {
        switch (kind)
        {
            case PING -> ping(session, request);
            case ECHO ->
            {
                if (arity(session, request, 2, 2))
                {
                    session.beginLocal().bulk(request.buffer(), request.argOffset(1), request.argLength(1));
                    session.endLocal();
                }
            }
            case QUIT ->
            {
                session.localRaw(OK);
                session.closeAfterFlush();
            }
            case SELECT -> select(session, request);
            case AUTH -> session.localError(
                "ERR AUTH is not supported yet: the cluster has no passwords or ACLs, connections need no AUTH");
            case HELLO -> hello(session, request);
            case CLIENT -> ClientCommand.handle(session, request);
            case TIME -> time(session, request);
            case INFO -> RouterInfo.info(session, request);
            case RESET ->
            {
                if (session.subscriptions().count() > 0)
                {
                    session.subscriptions().closeAll();
                }
                session.protocol(RespWriter.PROTOCOL_2);
                session.name("");
                session.localRaw(RESET_REPLY);
            }
            case ROLE ->
            {
                session.beginLocal().arrayHeader(3).bulk("master").integer(0).arrayHeader(0);
                session.endLocal();
            }
            case NODE_SCOPED -> session.localError("ERR " + request.argString(0).toUpperCase(Locale.ROOT) +
                " is about one node and the router is not a node: send it to a shard member directly " +
                "(ROUTER.SHARDS lists them)");
            case ROUTER_RELOAD -> reload(session);
            case ROUTER_SHARDS -> RouterInfo.shards(session);
            default -> unknown(session, request);
        }
    }

    private static void ping(final ClientSession session, final RespRequest request)
    {
        if (!arity(session, request, 1, 2))
        {
            return;
        }
        if (session.inSubscribedMode())
        {
            final RespWriter out = session.beginLocal().arrayHeader(2).bulk("pong");
            if (request.argCount() == 2)
            {
                out.bulk(request.buffer(), request.argOffset(1), request.argLength(1));
            }
            else
            {
                out.bulk("");
            }
            session.endLocal();
        }
        else if (request.argCount() == 2)
        {
            session.beginLocal().bulk(request.buffer(), request.argOffset(1), request.argLength(1));
            session.endLocal();
        }
        else
        {
            session.localRaw(PONG);
        }
    }

    private static void select(final ClientSession session, final RespRequest request)
    {
        if (!arity(session, request, 2, 2))
        {
            return;
        }
        final long index = request.argLong(1, Long.MIN_VALUE);
        if (index == Long.MIN_VALUE)
        {
            session.localError("ERR value is not an integer or out of range");
        }
        else if (index != 0)
        {
            session.localError("ERR DB index is out of range");
        }
        else
        {
            session.localRaw(OK);
        }
    }

    private static void hello(final ClientSession session, final RespRequest request)
    {
        int protocol = session.isResp3() ? RespWriter.PROTOCOL_3 : RespWriter.PROTOCOL_2;
        String name = null;
        if (request.argCount() >= 2)
        {
            final long version = request.argLong(1, -1);
            if (version < 0)
            {
                session.localError("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (version != RespWriter.PROTOCOL_2 && version != RespWriter.PROTOCOL_3)
            {
                session.localError("NOPROTO unsupported protocol version");
                return;
            }
            protocol = (int)version;
            for (int i = 2; i < request.argCount(); i++)
            {
                if (request.argEqualsIgnoreCase(i, "AUTH") && i + 2 < request.argCount())
                {
                    session.localError("ERR AUTH is not supported yet: the cluster has no passwords or ACLs, " +
                        "connections need no AUTH");
                    return;
                }
                else if (request.argEqualsIgnoreCase(i, "SETNAME") && i + 1 < request.argCount())
                {
                    name = request.argString(++i);
                    if (!ClientNames.isValid(name))
                    {
                        session.localError("ERR Client names cannot contain spaces, newlines or special characters.");
                        return;
                    }
                }
                else
                {
                    session.localError("ERR Syntax error in HELLO option '" + request.argString(i) + "'");
                    return;
                }
            }
        }
        session.protocol(protocol);
        if (name != null)
        {
            session.name(name);
        }
        session.beginLocal().mapHeader(7)
            .bulk("server").bulk("redmatch")
            .bulk("version").bulk(Router.VERSION)
            .bulk("proto").integer(protocol)
            .bulk("id").integer(session.id())
            .bulk("mode").bulk("standalone")
            .bulk("role").bulk("master")
            .bulk("modules").arrayHeader(0);
        session.endLocal();
    }

    private static void time(final ClientSession session, final RespRequest request)
    {
        if (!arity(session, request, 1, 1))
        {
            return;
        }
        final long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        session.beginLocal().arrayHeader(2).bulk(micros / 1_000_000).bulk(micros % 1_000_000);
        session.endLocal();
    }

    private static void reload(final ClientSession session)
    {
        final String error = session.router().topology().reload();
        if (error == null)
        {
            session.localRaw(OK);
        }
        else
        {
            session.localError("ERR shard map not reloaded, the previous one stays: " + error);
        }
    }

    /** Redis's reply to a command it does not know. */
    static void unknown(final ClientSession session, final RespRequest request)
    {
        final StringBuilder args = new StringBuilder();
        for (int i = 1; i < request.argCount() && args.length() < MAX_QUOTED; i++)
        {
            args.append('\'').append(quoted(request, i)).append("' ");
        }
        session.localError("ERR unknown command '" + quoted(request, 0) + "', with args beginning with: " + args);
    }

    private static String quoted(final RespRequest request, final int index)
    {
        final int length = Math.min(request.argLength(index), MAX_QUOTED);
        return request.buffer().toString(request.argOffset(index), length, StandardCharsets.UTF_8)
            .replace('\r', ' ').replace('\n', ' ');
    }

    /** @return true when the argument count (name included) is within bounds, else answers Redis's arity error. */
    static boolean arity(final ClientSession session, final RespRequest request, final int min, final int max)
    {
        if (request.argCount() < min || request.argCount() > max)
        {
            session.localError("ERR wrong number of arguments for '" +
                request.argString(0).toLowerCase(Locale.ROOT) + "' command");
            return false;
        }
        return true;
    }

    static String describe(final InetSocketAddress address)
    {
        return address == null ? "none" : UpstreamConnection.describe(address);
    }
}
