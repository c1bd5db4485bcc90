package io.redmatch.engine.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One entry of the {@link CommandTable}: a command's name, arity, flags and handler, plus what {@code COMMAND INFO}
 * and {@code COMMAND DOCS} tell clients about it. A container command such as {@code CLIENT} or {@code XINFO} has
 * subcommands instead of a handler of its own.
 * <p>
 * The documentation setters return the command so a registration reads as one statement:
 * <pre>{@code
 * table.register("ORDER.GET", -3, Command.READONLY | Command.FAST, handler)
 *     .keys(1, 1, 1).group("trading").summary("Returns an order's record").syntax("<pair> <order_id>");
 * }</pre>
 */
public final class Command
{
    /**
     * Changes state: stamped and logged by the {@link Sequencer} before the handler runs; refused on a standby. A
     * command with a {@link #stateChangeCheck(StateChangeCheck) state change check} is logged only when the check
     * finds it will change something.
     */
    public static final int WRITE = 1;
    /** Reads state only. */
    public static final int READONLY = 1 << 1;
    /** An administrative command (the {@code ops} role once ACLs exist). */
    public static final int ADMIN = 1 << 2;
    /** A Pub/Sub command. */
    public static final int PUBSUB = 1 << 3;
    /** Runs in constant or logarithmic time. */
    public static final int FAST = 1 << 4;
    /** Allowed while the node is loading ({@code -LOADING} otherwise). */
    public static final int LOADING = 1 << 5;
    /** Allowed while the node's data is stale, e.g. a standby out of touch with its primary. */
    public static final int STALE = 1 << 6;
    /** Allowed in RESP2 subscribed mode, where a connection may only (un)subscribe, ping, reset and quit. */
    public static final int SUBSCRIBED = 1 << 7;
    /** Allowed before authentication. */
    public static final int NO_AUTH = 1 << 8;
    /** May block the connection. */
    public static final int BLOCKING = 1 << 9;

    /** Redis's names of the flags, for {@code COMMAND INFO}; SUBSCRIBED has none, Redis hard-codes that list. */
    private static final String[] FLAG_NAMES =
        { "write", "readonly", "admin", "pubsub", "fast", "loading", "stale", null, "no_auth", "blocking" };

    private final String name;
    private final String fullName;
    private final byte[] upperName;
    private final int arity;
    private final int flags;
    private final CommandHandler handler;
    private final Command parent;
    private CommandIndex subcommands;
    private String summary = "";
    private String group;
    private String since = "0.1.0";
    private String complexity = "";
    private String syntax = "";
    private int firstKey;
    private int lastKey;
    private int keyStep;
    private StateChangeCheck stateChangeCheck;
    private long calls;

    Command(
        final String name, final int arity, final int flags, final CommandHandler handler, final Command parent)
    {
        if (arity == 0)
        {
            throw new IllegalArgumentException("arity of " + name + " must count the name: " + arity);
        }
        this.name = name.toLowerCase(Locale.ROOT);
        this.fullName = parent == null ? this.name : parent.name + "|" + this.name;
        this.upperName = name.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
        this.flags = flags;
        this.handler = handler;
        this.parent = parent;
    }

    /** @return the name in lower case, as {@code COMMAND} lists it: {@code "ping"}, {@code "setname"}. */
    public String name()
    {
        return name;
    }

    /** @return the name with its container's, as Redis reports it: {@code "ping"}, {@code "client|setname"}. */
    public String fullName()
    {
        return fullName;
    }

    /**
     * @return Redis arity: positive is the exact argument count including the name (and the subcommand name),
     * negative the minimum.
     */
    public int arity()
    {
        return arity;
    }

    /** @return the flags, a bit set of the constants of this class. */
    public int flags()
    {
        return flags;
    }

    /** @return true when all of {@code flag} are set. */
    public boolean hasFlag(final int flag)
    {
        return (flags & flag) == flag;
    }

    /** @return the handler; null for a container of subcommands. */
    public CommandHandler handler()
    {
        return handler;
    }

    /** @return the container command of a subcommand, or null. */
    public Command parent()
    {
        return parent;
    }

    /** @return the subcommands, in registration order; empty unless this is a container. */
    public List<Command> subcommands()
    {
        return subcommands == null ? Collections.emptyList() : subcommands.commands();
    }

    /** @return how many times the command ran. */
    public long calls()
    {
        return calls;
    }

    /** @return a one-line description for {@code COMMAND DOCS}. */
    public String summary()
    {
        return summary;
    }

    /**
     * Sets the one-line description {@code COMMAND DOCS} gives.
     *
     * @param summary the description.
     * @return this command.
     */
    public Command summary(final String summary)
    {
        this.summary = summary;
        return this;
    }

    /** @return the group {@code COMMAND DOCS} files it under, e.g. {@code connection}, {@code trading}. */
    public String group()
    {
        if (group != null)
        {
            return group;
        }
        // a container belongs where its subcommands do
        return subcommands != null && subcommands.size() > 0 ? subcommands.commands().get(0).group() : "generic";
    }

    /**
     * Sets the group {@code COMMAND DOCS} files the command under; it is also its ACL category.
     *
     * @param group e.g. {@code "trading"}, {@code "stream"}, {@code "server"}.
     * @return this command.
     */
    public Command group(final String group)
    {
        this.group = group;
        return this;
    }

    /** @return the version that introduced the command. */
    public String since()
    {
        return since;
    }

    /**
     * Sets the version that introduced the command.
     *
     * @param since a version.
     * @return this command.
     */
    public Command since(final String since)
    {
        this.since = since;
        return this;
    }

    /** @return the time complexity for {@code COMMAND DOCS}. */
    public String complexity()
    {
        return complexity;
    }

    /**
     * Sets the time complexity {@code COMMAND DOCS} gives.
     *
     * @param complexity e.g. {@code "O(log N)"}.
     * @return this command.
     */
    public Command complexity(final String complexity)
    {
        this.complexity = complexity;
        return this;
    }

    /** @return the arguments after the name, as a syntax line. */
    public String syntax()
    {
        return syntax;
    }

    /**
     * Sets the arguments after the name in the usual notation, from which {@code COMMAND DOCS} derives the
     * argument list {@code redis-cli} shows as hints: {@code <x>} an argument, an upper-case word a token,
     * {@code [...]} optional, {@code a|b} alternatives, a trailing {@code ...} repeated.
     *
     * @param syntax e.g. {@code "<pair> <BUY|SELL> ACCOUNT <id> [PRICE <p>]"}.
     * @return this command.
     */
    public Command syntax(final String syntax)
    {
        this.syntax = syntax;
        return this;
    }

    /** @return position of the first key argument, 0 when there are none. */
    public int firstKey()
    {
        return firstKey;
    }

    /** @return position of the last key argument; negative counts from the end. */
    public int lastKey()
    {
        return lastKey;
    }

    /** @return the step between key arguments. */
    public int keyStep()
    {
        return keyStep;
    }

    /**
     * Sets where the keys are, as {@code COMMAND INFO} reports it (a router or cluster-aware client reads it).
     *
     * @param firstKey position of the first key, 0 when there are none.
     * @param lastKey  position of the last key, negative to count from the end ({@code -1} the last argument).
     * @param keyStep  step between keys.
     * @return this command.
     */
    public Command keys(final int firstKey, final int lastKey, final int keyStep)
    {
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        return this;
    }

    /** @return the check that lets this {@link #WRITE} command skip the log when it changes nothing, or null. */
    public StateChangeCheck stateChangeCheck()
    {
        return stateChangeCheck;
    }

    /**
     * Lets this {@link #WRITE} command run without being sequenced when the check finds it changes no state; see
     * {@link StateChangeCheck}. It stays a write in every other respect: refused on a standby, counted as a write,
     * listed with the {@code write} flag.
     *
     * @param check decides, per request, whether the command must be logged.
     * @return this command.
     * @throws IllegalStateException when the command is not a {@link #WRITE} command.
     */
    public Command stateChangeCheck(final StateChangeCheck check)
    {
        if ((flags & WRITE) == 0)
        {
            throw new IllegalStateException(fullName + " is not a write command: it is never logged anyway");
        }
        this.stateChangeCheck = check;
        return this;
    }

    /** @return the names of the set flags, for {@code COMMAND INFO}. */
    public List<String> flagNames()
    {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < FLAG_NAMES.length; i++)
        {
            if ((flags & (1 << i)) != 0 && FLAG_NAMES[i] != null)
            {
                names.add(FLAG_NAMES[i]);
            }
        }
        return names;
    }

    /** @return true when the command accepts {@code argCount} arguments, the name included. */
    public boolean acceptsArgCount(final int argCount)
    {
        return arity > 0 ? argCount == arity : argCount >= -arity;
    }

    @Override
    public String toString()
    {
        return fullName;
    }

    byte[] upperName()
    {
        return upperName;
    }

    boolean isContainer()
    {
        return subcommands != null;
    }

    CommandIndex subcommandIndex()
    {
        if (subcommands == null)
        {
            subcommands = new CommandIndex();
        }
        return subcommands;
    }

    void countCall()
    {
        calls++;
    }
}
