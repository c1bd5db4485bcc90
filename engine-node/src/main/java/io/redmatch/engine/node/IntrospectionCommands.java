package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code COMMAND}, {@code COMMAND COUNT|INFO|DOCS|LIST|HELP}, built from the {@link CommandTable} so they always
 * describe what the node really accepts, in Redis 7's reply shapes: {@code redis-cli} reads {@code COMMAND DOCS} at
 * start for its help and hints, cluster-aware clients read key positions from {@code COMMAND INFO}.
 */
final class IntrospectionCommands implements CommandGroup
{
    private static final List<String> HELP = List.of(
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all commands.",
        "COUNT",
        "    Return the total number of commands in this server.",
        "LIST",
        "    Return a list of all commands in this server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "HELP",
        "    Print this help.");

    public void register(final CommandTable table, final EngineNode node)
    {
        final int flags = Command.STALE | Command.LOADING;
        table.register("COMMAND", -1, flags, (connection, request, out) -> writeInfos(out, table.commands()))
            .group("server").summary("Returns detailed information about all commands");
        table.registerSubcommand("COMMAND", "COUNT", 2, flags, (connection, request, out) ->
            out.integer(table.size()))
            .group("server").summary("Returns a count of commands");
        table.registerSubcommand("COMMAND", "LIST", -2, flags, IntrospectionCommands::list)
            .group("server").summary("Returns a list of command names");
        table.registerSubcommand("COMMAND", "INFO", -2, flags, IntrospectionCommands::info)
            .group("server").summary("Returns information about one, multiple or all commands")
            .syntax("[command-name ...]");
        table.registerSubcommand("COMMAND", "DOCS", -2, flags, IntrospectionCommands::docs)
            .group("server").summary("Returns documentary information about one, multiple or all commands")
            .syntax("[command-name ...]");
        table.registerSubcommand("COMMAND", "HELP", 2, flags, (connection, request, out) ->
        {
            out.arrayHeader(HELP.size());
            for (final String line : HELP)
            {
                out.simpleString(line);
            }
        }).group("server").summary("Returns helpful text about the different subcommands");
    }

    private static void list(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final List<Command> commands = connection.node().commandTable().commands();
        out.arrayHeader(commands.size());
        for (final Command command : commands)
        {
            out.bulk(command.name());
        }
    }

    private static void info(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final CommandTable table = connection.node().commandTable();
        if (request.argCount() == 2)
        {
            writeInfos(out, table.commands());
            return;
        }
        out.arrayHeader(request.argCount() - 2);
        for (int i = 2; i < request.argCount(); i++)
        {
            final Command command = table.lookup(request.argString(i));
            if (command == null)
            {
                out.nilArray();
            }
            else
            {
                writeInfo(out, command);
            }
        }
    }

    private static void docs(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final CommandTable table = connection.node().commandTable();
        final List<Command> commands = new ArrayList<>();
        if (request.argCount() == 2)
        {
            commands.addAll(table.commands());
        }
        else
        {
            for (int i = 2; i < request.argCount(); i++)
            {
                final Command command = table.lookup(request.argString(i));
                if (command != null)
                {
                    commands.add(command);
                }
            }
        }
        out.mapHeader(commands.size());
        for (final Command command : commands)
        {
            out.bulk(command.fullName());
            writeDocs(out, command);
        }
    }

    private static void writeInfos(final RespWriter out, final List<Command> commands)
    {
        out.arrayHeader(commands.size());
        for (final Command command : commands)
        {
            writeInfo(out, command);
        }
    }

    /** One command in Redis 7's {@code COMMAND INFO} shape: ten fields, subcommands nested. */
    private static void writeInfo(final RespWriter out, final Command command)
    {
        out.arrayHeader(10)
            .bulk(command.fullName())
            .integer(command.arity());
        final List<String> flags = command.flagNames();
        out.setHeader(flags.size());
        for (final String flag : flags)
        {
            out.simpleString(flag);
        }
        out.integer(command.firstKey()).integer(command.lastKey()).integer(command.keyStep());
        out.setHeader(1).simpleString("@" + command.group());
        out.arrayHeader(0);
        writeKeySpecs(out, command);
        final List<Command> subcommands = command.subcommands();
        out.arrayHeader(subcommands.size());
        for (final Command subcommand : subcommands)
        {
            writeInfo(out, subcommand);
        }
    }

    /** The key specification Redis 7 derives from first/last/step for a simple range of keys. */
    private static void writeKeySpecs(final RespWriter out, final Command command)
    {
        if (command.firstKey() <= 0)
        {
            out.arrayHeader(0);
            return;
        }
        out.arrayHeader(1).mapHeader(3)
            .bulk("flags").setHeader(0)
            .bulk("begin_search").mapHeader(2)
            .bulk("type").bulk("index")
            .bulk("spec").mapHeader(1).bulk("index").integer(command.firstKey())
            .bulk("find_keys").mapHeader(2)
            .bulk("type").bulk("range")
            .bulk("spec").mapHeader(3)
            .bulk("lastkey").integer(command.lastKey() < 0 ? command.lastKey() : command.lastKey() - command.firstKey())
            .bulk("keystep").integer(command.keyStep())
            .bulk("limit").integer(0);
    }

    /** One command in Redis 7's {@code COMMAND DOCS} shape, which {@code redis-cli} asserts field by field. */
    private static void writeDocs(final RespWriter out, final Command command)
    {
        final List<CommandSyntax.Argument> arguments = CommandSyntax.parse(command.syntax());
        final List<Command> subcommands = command.subcommands();
        int fields = 4;
        if (!arguments.isEmpty())
        {
            fields++;
        }
        if (!subcommands.isEmpty())
        {
            fields++;
        }
        out.mapHeader(fields)
            .bulk("summary").bulkUtf8(command.summary())
            .bulk("since").bulk(command.since())
            .bulk("group").bulk(command.group())
            .bulk("complexity").bulkUtf8(command.complexity());
        if (!arguments.isEmpty())
        {
            out.bulk("arguments");
            CommandSyntax.write(out, arguments);
        }
        if (!subcommands.isEmpty())
        {
            out.bulk("subcommands").mapHeader(subcommands.size());
            for (final Command subcommand : subcommands)
            {
                out.bulk(subcommand.fullName());
                writeDocs(out, subcommand);
            }
        }
    }
}
