package io.redmatch.router;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the router treats each command it knows (the table in docs/ROUTER.md), and a lookup from a command name's
 * bytes, ignoring case, that allocates nothing.
 */
enum CommandKind
{
    /** The pair is argument 1: routed to the shard owning it. */
    PAIR_ARG1("ORDER.PLACE", "ORDER.CANCEL", "ORDER.AMEND", "ORDER.GET", "ORDER.LIST", "ORDER.CANCELALL",
        "BOOK.DEPTH", "BOOK.BBO", "TICKER", "PAIR.INFO", "PAIR.HALT", "PAIR.RESUME"),
    /** Routed like {@link #PAIR_ARG1}; a pair missing from the shard map gets a clear error. */
    PAIR_ADD("PAIR.ADD"),
    /** The stream key {@code fills:<pair>} is argument 1. */
    STREAM_ARG1("XRANGE", "XREVRANGE", "XLEN", "XACK", "XPENDING"),
    /** The stream key is argument 2, after a subcommand. */
    STREAM_ARG2("XINFO", "XGROUP"),
    XREAD("XREAD"),
    XREADGROUP("XREADGROUP"),
    PAIRS("PAIRS"),
    /** Answered by the router itself. */
    PING("PING"),
    ECHO("ECHO"),
    QUIT("QUIT"),
    SELECT("SELECT"),
    AUTH("AUTH"),
    HELLO("HELLO"),
    CLIENT("CLIENT"),
    TIME("TIME"),
    INFO("INFO"),
    RESET("RESET"),
    ROLE("ROLE"),
    /** Same answer on every node: sent to any shard with a primary. */
    ANY_SHARD("CONFIG", "COMMAND"),
    /** About one node's process or storage: refused, with the way to reach a node. */
    NODE_SCOPED("DEBUG", "SAVE", "BGSAVE", "LASTSAVE", "WAIT", "REPLICAOF", "SLAVEOF", "FAILOVER", "SHUTDOWN"),
    SUBSCRIBE("SUBSCRIBE"),
    PSUBSCRIBE("PSUBSCRIBE"),
    UNSUBSCRIBE("UNSUBSCRIBE"),
    PUNSUBSCRIBE("PUNSUBSCRIBE"),
    ROUTER_RELOAD("ROUTER.RELOAD"),
    ROUTER_SHARDS("ROUTER.SHARDS");

    private final String[] names;

    CommandKind(final String... names)
    {
        this.names = names;
    }

    private static final byte[][] KEYS;
    private static final CommandKind[] VALUES;
    private static final int MASK;

    static
    {
        final Map<String, CommandKind> all = new LinkedHashMap<>();
        for (final CommandKind kind : values())
        {
            for (final String name : kind.names)
            {
                all.put(name, kind);
            }
        }
        final int capacity = Integer.highestOneBit(all.size() * 4 - 1);
        KEYS = new byte[capacity][];
        VALUES = new CommandKind[capacity];
        MASK = capacity - 1;
        all.forEach((name, kind) ->
        {
            final byte[] key = name.getBytes(StandardCharsets.US_ASCII);
            int slot = hash(key) & MASK;
            while (KEYS[slot] != null)
            {
                slot = (slot + 1) & MASK;
            }
            KEYS[slot] = key;
            VALUES[slot] = kind;
        });
    }

    /** @return the kind of the command named by {@code length} bytes at {@code offset}, case ignored; or null. */
    static CommandKind lookup(final ByteBuf buffer, final int offset, final int length)
    {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ upper(buffer.getByte(offset + i))) * 0x01000193;
        }
        int slot = (h ^ (h >>> 16)) & MASK;
        while (true)
        {
            final byte[] key = KEYS[slot];
            if (key == null)
            {
                return null;
            }
            if (key.length == length && equalsIgnoreCase(key, buffer, offset))
            {
                return VALUES[slot];
            }
            slot = (slot + 1) & MASK;
        }
    }

    private static boolean equalsIgnoreCase(final byte[] key, final ByteBuf buffer, final int offset)
    {
        for (int i = 0; i < key.length; i++)
        {
            if (key[i] != upper(buffer.getByte(offset + i)))
            {
                return false;
            }
        }
        return true;
    }

    private static int hash(final byte[] key)
    {
        int h = 0x811C9DC5;
        for (final byte b : key)
        {
            h = (h ^ b) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static byte upper(final byte b)
    {
        return b >= 'a' && b <= 'z' ? (byte)(b - 32) : b;
    }
}
