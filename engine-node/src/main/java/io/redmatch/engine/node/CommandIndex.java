package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Commands by name, found from the bytes of a request's argument without allocating: an open-addressing table keyed
 * by the upper-case name, hashed and compared with ASCII letters folded to upper case.
 */
final class CommandIndex
{
    private static final int MIN_CAPACITY = 16;

    private final List<Command> commands = new ArrayList<>();
    private Command[] slots = new Command[MIN_CAPACITY];

    /** @return the command with this name (any case), or null. */
    Command lookup(final ByteBuf buffer, final int offset, final int length)
    {
        final Command[] slots = this.slots;
        final int mask = slots.length - 1;
        int index = hash(buffer, offset, length) & mask;
        while (true)
        {
            final Command command = slots[index];
            if (command == null)
            {
                return null;
            }
            if (nameEquals(command.upperName(), buffer, offset, length))
            {
                return command;
            }
            index = (index + 1) & mask;
        }
    }

    /** @return the command with this name (any case), or null; for slow paths. */
    Command lookup(final String name)
    {
        for (final Command command : commands)
        {
            if (command.name().equalsIgnoreCase(name))
            {
                return command;
            }
        }
        return null;
    }

    void add(final Command command)
    {
        if (lookup(command.name()) != null)
        {
            throw new IllegalStateException("command registered twice: " + command.fullName());
        }
        commands.add(command);
        if (commands.size() * 2 > slots.length)
        {
            slots = new Command[slots.length * 2];
            for (final Command existing : commands)
            {
                insert(slots, existing);
            }
        }
        else
        {
            insert(slots, command);
        }
    }

    void remove(final Command command)
    {
        commands.remove(command);
        slots = new Command[slots.length];
        for (final Command existing : commands)
        {
            insert(slots, existing);
        }
    }

    List<Command> commands()
    {
        return Collections.unmodifiableList(commands);
    }

    int size()
    {
        return commands.size();
    }

    private static void insert(final Command[] slots, final Command command)
    {
        final byte[] name = command.upperName();
        final int mask = slots.length - 1;
        int index = hash(name) & mask;
        while (slots[index] != null)
        {
            index = (index + 1) & mask;
        }
        slots[index] = command;
    }

    private static int hash(final ByteBuf buffer, final int offset, final int length)
    {
        int hash = 0;
        for (int i = 0; i < length; i++)
        {
            hash = 31 * hash + upper(buffer.getByte(offset + i));
        }
        return mix(hash);
    }

    private static int hash(final byte[] upperName)
    {
        int hash = 0;
        for (final byte b : upperName)
        {
            hash = 31 * hash + b;
        }
        return mix(hash);
    }

    private static int mix(final int hash)
    {
        final int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static boolean nameEquals(final byte[] upperName, final ByteBuf buffer, final int offset, final int length)
    {
        if (upperName.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (upper(buffer.getByte(offset + i)) != upperName[i])
            {
                return false;
            }
        }
        return true;
    }

    private static byte upper(final byte b)
    {
        return b >= 'a' && b <= 'z' ? (byte)(b - 32) : b;
    }
}
