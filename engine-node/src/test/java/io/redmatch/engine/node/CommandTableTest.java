package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandTableTest
{
    private static final CommandHandler NOTHING = (connection, request, out) ->
    {
    };

    private final CommandTable table = new CommandTable();

    @Test
    void findsCommandsByTheirBytesIgnoringCase()
    {
        final Command place = table.register("ORDER.PLACE", -7, Command.WRITE, NOTHING);
        for (int i = 0; i < 100; i++)
        {
            table.register("CMD" + i, 1, 0, NOTHING);
        }
        assertSame(place, lookup("order.place"));
        assertSame(place, lookup("Order.Place"));
        assertSame(place, lookup("ORDER.PLACE"));
        assertNull(lookup("ORDER.PLAC"));
        assertNull(lookup("ORDER.PLACEX"));
        assertNull(lookup(""));
        for (int i = 0; i < 100; i++)
        {
            assertEquals("cmd" + i, lookup("cmd" + i).name());
        }
        assertEquals(101, table.size());
    }

    @Test
    void findsSubcommandsAndCountsTheirFullName()
    {
        final Command stream = table.registerSubcommand("XINFO", "STREAM", 3, Command.READONLY, NOTHING);
        table.registerSubcommand("XINFO", "GROUPS", 3, Command.READONLY, NOTHING);
        final Command container = lookup("xinfo");
        assertNotNull(container);
        final ByteBuf name = ascii("stream");
        assertSame(stream, table.lookupSubcommand(container, name, 0, name.readableBytes()));
        assertEquals("xinfo|stream", stream.fullName());
        assertSame(stream, table.lookup("XINFO|Stream"));
        assertEquals(2, container.subcommands().size());
        assertEquals(-2, container.arity());
    }

    @Test
    void appliesRedisAritySemantics()
    {
        final Command exact = table.register("EXACT", 3, 0, NOTHING);
        final Command minimum = table.register("MINIMUM", -2, 0, NOTHING);
        assertFalse(exact.acceptsArgCount(2));
        assertTrue(exact.acceptsArgCount(3));
        assertFalse(exact.acceptsArgCount(4));
        assertFalse(minimum.acceptsArgCount(1));
        assertTrue(minimum.acceptsArgCount(2));
        assertTrue(minimum.acceptsArgCount(100));
        assertThrows(IllegalArgumentException.class, () -> table.register("ZERO", 0, 0, NOTHING));
    }

    @Test
    void refusesToRegisterANameTwiceUnlessAskedToGiveWay()
    {
        table.register("WAIT", 3, Command.WRITE, NOTHING);
        assertThrows(IllegalStateException.class, () -> table.register("wait", 3, 0, NOTHING));
        assertNull(table.registerIfAbsent("WAIT", 3, 0, NOTHING));
        assertNotNull(table.registerIfAbsent("FAILOVER", -1, 0, NOTHING));
        table.registerSubcommand("DEBUG", "DIGEST", 2, 0, NOTHING);
        assertThrows(IllegalStateException.class, () -> table.registerSubcommand("DEBUG", "digest", 2, 0, NOTHING));
    }

    @Test
    void documentsFlagsAsRedisNamesThem()
    {
        final Command command = table.register("X", 1, Command.WRITE | Command.FAST | Command.SUBSCRIBED, NOTHING);
        assertEquals(java.util.List.of("write", "fast"), command.flagNames());
    }

    @Test
    void looksUpWithoutAllocating()
    {
        for (int i = 0; i < 50; i++)
        {
            table.register("CMD" + i, 1, 0, NOTHING);
        }
        // the dispatcher reads the name in place through RespRequest.bytes(), a view like this one
        final org.agrona.concurrent.UnsafeBuffer name =
            new org.agrona.concurrent.UnsafeBuffer("cmd42".getBytes(StandardCharsets.US_ASCII));
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        long found = 0;
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++)
            {
                found += table.lookup(name, 0, 5) != null ? 1 : 0;
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2)
            {
                assertTrue(allocated < 1024, "allocated " + allocated);
            }
        }
        assertEquals(300_000, found);
    }

    private Command lookup(final String name)
    {
        final ByteBuf buffer = ascii(name);
        return table.lookup(buffer, 0, buffer.readableBytes());
    }

    private static ByteBuf ascii(final String text)
    {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
