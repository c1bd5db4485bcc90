package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * The node's commands by name, with Redis's arity semantics, looked up without allocating from the bytes of a
 * request's first argument (and second, for subcommands), ignoring case.
 * <p>
 * A command group registers its commands once, at start:
 * <pre>{@code
 * table.register("ORDER.PLACE", -6, Command.WRITE, placeHandler).group("trading").keys(1, 1, 1);
 * table.registerSubcommand("XINFO", "STREAM", 3, Command.READONLY, xinfoStream).keys(2, 2, 1);
 * }</pre>
 * Registering a name twice is an error, so two groups never silently fight over a command; a fallback that
 * should give way to a real implementation uses {@link #registerIfAbsent}.
 * <p>
 * Mutated only before the node accepts connections; read on the node's event loop.
 */
public final class CommandTable
{
    private final CommandIndex index = new CommandIndex();

    /**
     * Registers a command.
     *
     * @param name    its name, any case; {@code COMMAND} lists it in lower case.
     * @param arity   Redis arity: positive is the exact number of arguments including the name, negative the
     *                minimum ({@code -2}: the name and at least one more).
     * @param flags   a bit set of {@link Command}'s flags, e.g. {@code Command.WRITE | Command.FAST}.
     * @param handler executes it.
     * @return the command, to add its documentation and key positions.
     * @throws IllegalStateException when the name is taken.
     */
    public Command register(final String name, final int arity, final int flags, final CommandHandler handler)
    {
        if (handler == null)
        {
            throw new IllegalArgumentException("no handler for " + name);
        }
        final Command command = new Command(name, arity, flags, handler, null);
        index.add(command);
        return command;
    }

    /**
     * Registers a command unless one with the name exists, for fallbacks such as "not supported yet" replies.
     *
     * @param name    its name.
     * @param arity   Redis arity.
     * @param flags   its flags.
     * @param handler executes it.
     * @return the new command, or null when the name was taken.
     */
    public Command registerIfAbsent(final String name, final int arity, final int flags, final CommandHandler handler)
    {
        return index.lookup(name) == null ? register(name, arity, flags, handler) : null;
    }

    /**
     * Registers a subcommand, creating its container on first use: {@code CLIENT SETNAME}, {@code XGROUP CREATE},
     * {@code DEBUG DIGEST}. The container answers {@code -ERR unknown subcommand} for names it does not have; each
     * subcommand has its own arity (counting the container's name and its own, as Redis does) and flags. A command
     * registered with a handler of its own may get subcommands too ({@code COMMAND} and {@code COMMAND COUNT}): its
     * handler runs when it comes without arguments.
     *
     * @param container  the container's name, e.g. {@code "XINFO"}.
     * @param subcommand the subcommand's name, e.g. {@code "STREAM"}.
     * @param arity      Redis arity, counting both names.
     * @param flags      the subcommand's flags; they decide sequencing, not the container's.
     * @param handler    executes it.
     * @return the subcommand, to add its documentation.
     * @throws IllegalStateException when the subcommand exists.
     */
    public Command registerSubcommand(
        final String container, final String subcommand, final int arity, final int flags,
        final CommandHandler handler)
    {
        if (handler == null)
        {
            throw new IllegalArgumentException("no handler for " + container + " " + subcommand);
        }
        Command parent = index.lookup(container);
        if (parent == null)
        {
            parent = new Command(container, -2, 0, null, null);
            parent.summary("A container for " + parent.name().toUpperCase() + " commands");
            index.add(parent);
        }
        final Command command = new Command(subcommand, arity, flags, handler, parent);
        parent.subcommandIndex().add(command);
        return command;
    }

    /**
     * Finds a command by the bytes of its name, ignoring case; allocation free.
     *
     * @param buffer holds the name.
     * @param offset absolute index of its first byte.
     * @param length its length.
     * @return the command or container, or null.
     */
    public Command lookup(final DirectBuffer buffer, final int offset, final int length)
    {
        return index.lookup(buffer, offset, length);
    }

    /**
     * Finds a command by the bytes of its name in a {@code ByteBuf}, ignoring case; copies them, so for tests and
     * slow paths (the dispatcher reads names through {@link io.redmatch.engine.resp.RespRequest#bytes()}).
     */
    public Command lookup(final ByteBuf buffer, final int offset, final int length)
    {
        return lookup(new UnsafeBuffer(ByteBufUtil.getBytes(buffer, offset, length)), 0, length);
    }

    /**
     * Finds a subcommand of a container by the bytes of its name, ignoring case; allocation free.
     *
     * @param container the container.
     * @param buffer    holds the name.
     * @param offset    absolute index of its first byte.
     * @param length    its length.
     * @return the subcommand, or null.
     */
    public Command lookupSubcommand(
        final Command container, final DirectBuffer buffer, final int offset, final int length)
    {
        return container.isContainer() ? container.subcommandIndex().lookup(buffer, offset, length) : null;
    }

    /** {@link #lookupSubcommand(Command, DirectBuffer, int, int)} from a {@code ByteBuf}; copies, so for tests. */
    public Command lookupSubcommand(final Command container, final ByteBuf buffer, final int offset, final int length)
    {
        return lookupSubcommand(container, new UnsafeBuffer(ByteBufUtil.getBytes(buffer, offset, length)), 0, length);
    }

    /**
     * Finds a command by name, ignoring case; for slow paths such as {@code COMMAND INFO}.
     *
     * @param name the name, or {@code container|sub} for a subcommand.
     * @return the command, or null.
     */
    public Command lookup(final String name)
    {
        final int bar = name.indexOf('|');
        if (bar < 0)
        {
            return index.lookup(name);
        }
        final Command parent = index.lookup(name.substring(0, bar));
        return parent == null || !parent.isContainer() ? null : parent.subcommandIndex().lookup(name.substring(bar + 1));
    }

    /** @return the top-level commands and containers, in registration order. */
    public List<Command> commands()
    {
        return index.commands();
    }

    /** @return the number of top-level commands and containers, as {@code COMMAND COUNT} reports it. */
    public int size()
    {
        return index.size();
    }
}
