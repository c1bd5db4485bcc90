package io.redmatch.engine.node;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * Interns account names (1–64 bytes of {@code [A-Za-z0-9_.:-]}) as dense int ids, in first-seen order, so the
 * books compare ints and the same command log always assigns the same ids.
 */
public final class AccountRegistry
{
    /** Longest account name or client id. */
    public static final int MAX_NAME_LENGTH = 64;

    private final AsciiKeyIndex index = new AsciiKeyIndex(1024);
    private final List<byte[]> names = new ArrayList<>();

    /** @return true when the bytes form a valid account name or client id. */
    public static boolean isValidName(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > MAX_NAME_LENGTH)
        {
            return false;
        }
        // one bounds check for the name, then plain reads: a checked getByte per byte cost more than the test
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset() + offset;
        for (int i = 0; i < length; i++)
        {
            final byte b = UNSAFE.getByte(array, address + i);
            final boolean ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                b == '_' || b == '.' || b == ':' || b == '-';
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /** @return the id of a known account, or -1. */
    public int find(final DirectBuffer buffer, final int offset, final int length)
    {
        final long id = index.get(buffer, offset, length);
        return id == AsciiKeyIndex.MISSING ? -1 : (int)id;
    }

    /** @return the account's id, registering it when it is new. The name must be valid. */
    public int intern(final DirectBuffer buffer, final int offset, final int length)
    {
        final long id = index.get(buffer, offset, length);
        if (id != AsciiKeyIndex.MISSING)
        {
            return (int)id;
        }
        final byte[] name = new byte[length];
        buffer.getBytes(offset, name);
        final int newId = names.size();
        names.add(name);
        index.put(name, newId);
        return newId;
    }

    /** @return the name bytes of an account id; the caller must not change them. */
    public byte[] name(final int accountId)
    {
        return names.get(accountId);
    }

    public int size()
    {
        return names.size();
    }
}
