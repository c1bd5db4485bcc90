package io.redmatch.clearing.server;

import io.netty.handler.codec.redis.RedisMessage;
import io.redmatch.clearing.Alarms;
import io.redmatch.clearing.ClearingService;
import io.redmatch.clearing.fill.Amounts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The commands clearing answers. Errors follow Redis's conventions ({@code -ERR unknown command},
 * {@code -ERR wrong number of arguments}, {@code -ERR syntax error}) and SPEC §3's {@code -INVALID <FIELD>: why}.
 */
final class ClearingCommands
{
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");
    private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    /** One command: its name, Redis arity (negative: at least), and what it does. */
    private record Command(String name, int arity, boolean readOnly,
        Function<List<String>, CompletableFuture<RedisMessage>> handler)
    {
    }

    private final ClearingService service;
    private final ClearingInfo info;
    private final Map<String, Command> table = new LinkedHashMap<>();

    ClearingCommands(final ClearingService service)
    {
        this.service = service;
        this.info = new ClearingInfo(service);
        register("PING", -1, true, this::ping);
        register("ECHO", 2, true, (args) -> done(Replies.bulk(args.get(1))));
        register("HELLO", -1, true, this::hello);
        register("COMMAND", -1, true, this::command);
        register("CLIENT", -2, true, this::client);
        register("SELECT", 2, true, (args) -> done("0".equals(args.get(1)) ? Replies.OK :
            Replies.error("ERR DB index is out of range")));
        register("QUIT", 1, true, (args) -> done(Replies.OK));
        register("INFO", -1, true, (args) -> done(Replies.bulk(info.render(args.size() > 1 ? args.get(1) : "all"))));
        register("BALANCE", -2, true, this::balance);
        register("LEDGER.CURSOR", -1, true, this::cursor);
        register("LEDGER.CHECK", 1, true, this::check);
        register("LEDGER.ALARMS", 1, true, this::alarms);
    }

    CompletableFuture<RedisMessage> execute(final List<String> args)
    {
        final String name = args.get(0).toUpperCase(Locale.ROOT);
        final Command command = table.get(name);
        if (command == null)
        {
            final StringBuilder message = new StringBuilder("ERR unknown command '").append(clip(args.get(0)))
                .append("', with args beginning with:");
            for (int i = 1; i < Math.min(args.size(), 4); i++)
            {
                message.append(" '").append(clip(args.get(i))).append('\'');
            }
            return done(Replies.error(message.toString()));
        }
        if (command.arity() > 0 ? args.size() != command.arity() : args.size() < -command.arity())
        {
            return done(Replies.error("ERR wrong number of arguments for '" + name.toLowerCase(Locale.ROOT) +
                "' command"));
        }
        try
        {
            return command.handler().apply(args);
        }
        catch (final RuntimeException ex)
        {
            return done(Replies.error("ERR " + ex.getMessage()));
        }
    }

    private void register(final String name, final int arity, final boolean readOnly,
        final Function<List<String>, CompletableFuture<RedisMessage>> handler)
    {
        table.put(name, new Command(name, arity, readOnly, handler));
    }

    private CompletableFuture<RedisMessage> ping(final List<String> args)
    {
        if (args.size() > 2)
        {
            return done(Replies.error("ERR wrong number of arguments for 'ping' command"));
        }
        return done(args.size() == 2 ? Replies.bulk(args.get(1)) : Replies.simple("PONG"));
    }

    private CompletableFuture<RedisMessage> hello(final List<String> args)
    {
        if (args.size() > 1 && !"2".equals(args.get(1)))
        {
            return done(Replies.error("NOPROTO unsupported protocol version: clearing speaks RESP2"));
        }
        final List<RedisMessage> items = new ArrayList<>();
        items.add(Replies.bulk("server"));
        items.add(Replies.bulk("redmatch-clearing"));
        items.add(Replies.bulk("version"));
        items.add(Replies.bulk(ClearingService.VERSION));
        items.add(Replies.bulk("proto"));
        items.add(Replies.integer(2));
        items.add(Replies.bulk("id"));
        items.add(Replies.integer(0));
        items.add(Replies.bulk("mode"));
        items.add(Replies.bulk("standalone"));
        items.add(Replies.bulk("role"));
        items.add(Replies.bulk("master"));
        items.add(Replies.bulk("modules"));
        items.add(Replies.array(List.of()));
        return done(Replies.array(items));
    }

    private CompletableFuture<RedisMessage> command(final List<String> args)
    {
        if (args.size() == 1)
        {
            final List<RedisMessage> entries = new ArrayList<>();
            for (final Command command : table.values())
            {
                entries.add(Replies.array(List.of(
                    Replies.bulk(command.name().toLowerCase(Locale.ROOT)),
                    Replies.integer(command.arity()),
                    Replies.array(List.of(Replies.simple(command.readOnly() ? "readonly" : "write"))),
                    Replies.integer(0), Replies.integer(0), Replies.integer(0))));
            }
            return done(Replies.array(entries));
        }
        final String sub = args.get(1).toUpperCase(Locale.ROOT);
        switch (sub)
        {
            case "COUNT":
                return done(Replies.integer(table.size()));
            case "DOCS":
                // redis-cli asks for docs at start to show hints; it works without them
                return done(Replies.array(List.of()));
            default:
                return done(Replies.error("ERR unknown subcommand '" + clip(args.get(1)) + "'. Try COMMAND HELP."));
        }
    }

    private CompletableFuture<RedisMessage> client(final List<String> args)
    {
        final String sub = args.get(1).toUpperCase(Locale.ROOT);
        switch (sub)
        {
            case "SETNAME":
            case "SETINFO":
                return done(Replies.OK);
            case "GETNAME":
                return done(io.netty.handler.codec.redis.FullBulkStringRedisMessage.NULL_INSTANCE);
            case "ID":
                return done(Replies.integer(0));
            default:
                return done(Replies.error("ERR unknown subcommand '" + clip(args.get(1)) + "'. Try CLIENT HELP."));
        }
    }

    private CompletableFuture<RedisMessage> balance(final List<String> args)
    {
        if (args.size() > 3)
        {
            return done(Replies.error("ERR syntax error: BALANCE <account> [asset]"));
        }
        final String account = args.get(1);
        if (!ACCOUNT.matcher(account).matches())
        {
            return done(Replies.error("INVALID ACCOUNT: 1-64 characters of [A-Za-z0-9_.:-] (or the fee account)"));
        }
        if (args.size() == 3)
        {
            final String asset = args.get(2);
            if (!ASSET.matcher(asset).matches())
            {
                return done(Replies.error("INVALID ASSET: 1-64 characters of [A-Za-z0-9_.:-]"));
            }
            return done(Replies.bulk(Amounts.format(service.ledger().balance(account, asset))));
        }
        final List<RedisMessage> items = new ArrayList<>();
        for (final Map.Entry<String, BigDecimal> balance : service.ledger().balances(account).entrySet())
        {
            items.add(Replies.bulk(balance.getKey()));
            items.add(Replies.bulk(Amounts.format(balance.getValue())));
        }
        return done(Replies.array(items));
    }

    private CompletableFuture<RedisMessage> cursor(final List<String> args)
    {
        final Map<String, Long> cursors = service.ledger().cursors();
        if (args.size() == 2)
        {
            final Long cursor = cursors.get(args.get(1));
            return done(Replies.integer(cursor == null ? 0 : cursor));
        }
        if (args.size() > 2)
        {
            return done(Replies.error("ERR syntax error: LEDGER.CURSOR [pair]"));
        }
        final List<RedisMessage> items = new ArrayList<>();
        for (final Map.Entry<String, Long> cursor : cursors.entrySet())
        {
            items.add(Replies.bulk(cursor.getKey()));
            items.add(Replies.integer(cursor.getValue()));
        }
        return done(Replies.array(items));
    }

    private CompletableFuture<RedisMessage> check(final List<String> args)
    {
        return service.check().handle((result, failure) ->
        {
            if (failure != null)
            {
                return Replies.error("ERR LEDGER.CHECK could not run: " + failure.getMessage());
            }
            final String summary = result.summary();
            return result.problems().isEmpty() ? Replies.simple(summary) : Replies.error("ERR " + summary);
        });
    }

    private CompletableFuture<RedisMessage> alarms(final List<String> args)
    {
        final List<String> lines = new ArrayList<>();
        for (final Alarms.Alarm alarm : service.alarms().recent())
        {
            lines.add(alarm.toString());
        }
        return done(Replies.bulks(lines));
    }

    private static CompletableFuture<RedisMessage> done(final RedisMessage message)
    {
        return CompletableFuture.completedFuture(message);
    }

    private static String clip(final String text)
    {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
