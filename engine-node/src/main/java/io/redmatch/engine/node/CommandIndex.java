package io.redmatch.engine.node;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.agrona.UnsafeAccess.UNSAFE;

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
    Command lookup(final DirectBuffer buffer, final int offset, final int length)
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

    private static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        // one bounds check for the name, then plain reads; nameEquals reads the same range after it
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset() + offset;
        int hash = 0;
        for (int i = 0; i < length; i++)
        {
            hash = 31 * hash + upper(UNSAFE.getByte(array, address + i));
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

    /** Reads without checks: only called on a range {@link #hash(DirectBuffer, int, int)} checked. */
    private static boolean nameEquals(final byte[] upperName, final DirectBuffer buffer, final int offset, final int length)
    {
        if (upperName.length != length)
        {
            return false;
        }
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset() + offset;
        for (int i = 0; i < length; i++)
        {
            if (upper(UNSAFE.getByte(array, address + i)) != upperName[i])
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
