package io.redmatch.router;

import io.redmatch.engine.node.ClientNames;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

/** {@code CLIENT ID|SETNAME|GETNAME|SETINFO|LIST|INFO} about the client connections of the router itself. */
final class ClientCommand
{
    private static final byte[] OK = RespWriter.encodeSimpleString("OK");

    private ClientCommand()
    {
    }

    static void handle(final ClientSession session, final RespRequest request)
    {
        if (request.argCount() < 2)
        {
            session.localError("ERR wrong number of arguments for 'client' command");
            return;
        }
        final String sub = request.argString(1).toUpperCase(java.util.Locale.ROOT);
        switch (sub)
        {
            case "ID" -> session.beginLocal().integer(session.id());
            case "GETNAME" ->
            {
                final RespWriter out = session.beginLocal();
                if (session.name().isEmpty())
                {
                    out.nil();
                }
                else
                {
                    out.bulk(session.name());
                }
            }
            case "SETNAME" ->
            {
                if (request.argCount() != 3)
                {
                    session.localError("ERR wrong number of arguments for 'client|setname' command");
                    return;
                }
                final String name = request.argString(2);
                if (!ClientNames.isValid(name))
                {
                    session.localError("ERR Client names cannot contain spaces, newlines or special characters.");
                    return;
                }
                session.name(name);
                session.beginLocal().raw(OK);
            }
            case "SETINFO" ->
            {
                if (request.argCount() != 4)
                {
                    session.localError("ERR wrong number of arguments for 'client|setinfo' command");
                    return;
                }
                session.beginLocal().raw(OK);
            }
            case "LIST" ->
            {
                final StringBuilder list = new StringBuilder();
                for (final ClientSession client : session.router().clients().values())
                {
                    list.append(line(client)).append('\n');
                }
                session.beginLocal().bulkUtf8(list.toString());
            }
            case "INFO" -> session.beginLocal().bulkUtf8(line(session) + "\n");
            default ->
            {
                session.localError("ERR unknown subcommand '" + request.argString(1) + "'. Try CLIENT HELP.");
                return;
            }
        }
        session.endLocal();
    }

    private static String line(final ClientSession client)
    {
        final long age = (System.currentTimeMillis() - client.createdAtMillis()) / 1000;
        return "id=" + client.id() + " addr=" + client.remoteAddress() + " name=" + client.name() + " age=" + age +
            " db=0 sub=" + (client.subscriptionCount()) + " pending=" + client.pendingCount() + " resp=" +
            (client.isResp3() ? 3 : 2);
    }
}
