package io.redmatch.engine.stream;

import io.redmatch.engine.node.RawRespConnection;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sends the same stream commands to a node and to redis-server 7 holding the same entries, and compares the replies
 * byte for byte, in RESP2 and in RESP3: reply shapes, empty and nil replies, and error messages. Skipped where
 * redis-server is not installed. Commands whose replies hold times (idle, delivery time) or fields Redis 7.0 leaves
 * unknown ({@code entries-read} of a group created at an ID) are checked by the client tests instead, and so is the
 * one documented difference: a plain number as an exclusive range end ({@code (5}) means {@code (5-0} here.
 */
class StreamCommandsRedisDifferentialTest
{
    private static final String BTC = "fills:BTC-USD";
    private static final String ETH = "fills:ETH-USD";
    private static final String XRP = "fills:XRP-USD";

    private static final String[] COMMANDS =
    {
        "XRANGE " + BTC + " - +",
        "XRANGE " + BTC + " - + COUNT 2",
        "XRANGE " + BTC + " - + count 2",
        "XRANGE " + BTC + " (2 +",
        "XRANGE " + BTC + " 2 4",
        "XRANGE " + BTC + " 2-0 4-0",
        "XRANGE " + BTC + " 2-1 4-5",
        "XRANGE " + BTC + " 002 +",
        "XRANGE " + BTC + " (5 +",
        "XRANGE " + BTC + " 6 +",
        "XRANGE " + BTC + " 3 2",
        "XRANGE " + BTC + " + -",
        "XRANGE " + BTC + " - (0",
        "XRANGE " + BTC + " 18446744073709551615 +",
        "XRANGE " + BTC + " - + COUNT 0",
        "XRANGE " + BTC + " - + COUNT -3",
        "XRANGE " + BTC + " - + COUNT 1 COUNT 3",
        "XRANGE " + BTC + " x +",
        "XRANGE " + BTC + " - 1-x",
        "XRANGE " + BTC + " 18446744073709551616 +",
        "XRANGE " + BTC + " (- +",
        "XRANGE " + BTC + " - (+",
        "XRANGE " + BTC + " (18446744073709551615-18446744073709551615 +",
        "XRANGE " + BTC + " - (0-0",
        "XRANGE " + BTC + " - + COUNT x",
        "XRANGE " + BTC + " - + COUNT",
        "XRANGE " + BTC + " - + FOO 1",
        "XRANGE " + BTC + " -",
        "XRANGE nokey - +",
        "XRANGE nokey - + COUNT 0",
        "XREVRANGE nokey + - COUNT -1",
        "XREVRANGE " + BTC + " + -",
        "XREVRANGE " + BTC + " + - COUNT 2",
        "XREVRANGE " + BTC + " 4 2 COUNT 1",
        "XREVRANGE " + BTC + " - +",
        "XREVRANGE " + BTC + " + - COUNT 0",
        "XLEN " + BTC,
        "XLEN nokey",
        "XLEN",
        "XREAD STREAMS " + BTC + " 0",
        "XREAD COUNT 2 STREAMS " + BTC + " " + ETH + " 0 0",
        "XREAD STREAMS " + BTC + " " + ETH + " 3 0",
        "XREAD STREAMS " + BTC + " " + ETH + " 5 1",
        "XREAD STREAMS " + BTC + " 5",
        "XREAD STREAMS " + BTC + " $",
        "XREAD STREAMS nokey " + BTC + " 0 4",
        "XREAD COUNT 0 STREAMS " + BTC + " 3",
        "XREAD COUNT -5 STREAMS " + BTC + " 3",
        "XREAD count 1 streams " + BTC + " 3-7",
        "XREAD BLOCK 10 STREAMS " + BTC + " $",
        "XREAD BLOCK 10 STREAMS " + BTC + " 4",
        "XREAD STREAMS " + BTC + " >",
        "XREAD STREAMS " + BTC + " -",
        "XREAD STREAMS " + BTC,
        "XREAD STREAMS " + BTC + " " + ETH + " 0",
        "XREAD NOACK STREAMS " + BTC + " 0",
        "XREAD GROUP g c STREAMS " + BTC + " 0",
        "XREAD BLOCK -1 STREAMS " + BTC + " 0",
        "XREAD BLOCK x STREAMS " + BTC + " 0",
        "XREAD COUNT x STREAMS " + BTC + " 0",
        "XREAD COUNT 1 FOO STREAMS " + BTC + " 0",
        "XREAD STREAMS " + BTC + " 1-x",
        "XREAD COUNT 1 BLOCK 1 " + BTC + " 0",
        "XINFO STREAM " + BTC,
        "XINFO STREAM " + ETH,
        "XINFO STREAM nokey",
        "XINFO STREAM " + BTC + " FOO",
        "XINFO GROUPS " + BTC,
        "XINFO GROUPS nokey",
        "XINFO",
        "XINFO FOO",
        "XINFO GROUPS",
        "XGROUP",
        "XGROUP FOO " + BTC,
        "XGROUP CREATE " + BTC,
        "XGROUP CREATE " + BTC + " g 0",
        "XGROUP CREATE " + BTC + " g 0",
        "XGROUP CREATE " + BTC + " g2 $",
        "XGROUP CREATE " + BTC + " g3 3",
        "XGROUP CREATE " + BTC + " g4 x",
        "XGROUP CREATE " + BTC + " g4 (1",
        "XGROUP CREATE " + BTC + " g4 -",
        "XGROUP CREATE " + BTC + " g5 0 FOO",
        "XGROUP CREATE " + BTC + " g5 0 ENTRIESREAD",
        "XGROUP CREATE " + BTC + " g5 0 ENTRIESREAD -2",
        "XGROUP CREATE " + BTC + " g5 0 ENTRIESREAD x",
        "XGROUP CREATE nokey g 0",
        "XGROUP CREATE " + BTC + " g6 0 MKSTREAM",
        "XGROUP CREATE " + ETH + " g 0 MKSTREAM ENTRIESREAD 0",
        "XREADGROUP GROUP g c1 COUNT 2 STREAMS " + BTC + " >",
        "XREADGROUP GROUP g c1 STREAMS " + BTC + " 0",
        "XREADGROUP GROUP g c1 STREAMS " + BTC + " 1",
        "XREADGROUP GROUP g c2 STREAMS " + BTC + " 0",
        "XREADGROUP GROUP g c2 COUNT 0 STREAMS " + BTC + " >",
        "XREADGROUP GROUP g c2 STREAMS " + BTC + " >",
        "XREADGROUP GROUP g c2 BLOCK 10 STREAMS " + BTC + " >",
        "XREADGROUP GROUP g c3 NOACK STREAMS " + ETH + " >",
        "XREADGROUP GROUP g c1 NOACK COUNT 1 STREAMS " + BTC + " " + ETH + " 0 0",
        "XREADGROUP GROUP g c3 STREAMS " + BTC + " " + ETH + " > >",
        "XREADGROUP GROUP nog c STREAMS " + BTC + " >",
        "XREADGROUP GROUP g c STREAMS nokey >",
        "XREADGROUP GROUP g2 c STREAMS " + BTC + " " + ETH + " > >",
        "XREADGROUP GROUP g c STREAMS " + BTC + " $",
        "XREADGROUP GROUP g c STREAMS " + BTC + " x",
        "XREADGROUP GROUP g c STREAMS " + BTC + " > >",
        "XREADGROUP COUNT 1 BLOCK 1 STREAMS " + BTC + " >",
        "XREADGROUP GROUP g c COUNT x STREAMS " + BTC + " >",
        "XREADGROUP GROUP g STREAMS " + BTC + " >",
        "XPENDING " + BTC + " g",
        "XPENDING " + BTC + " g2",
        "XPENDING " + BTC + " nog",
        "XPENDING nokey g",
        "XPENDING " + BTC + " g - + 0",
        "XPENDING " + BTC + " g - + -1",
        "XPENDING " + BTC + " g + - 5",
        "XPENDING " + BTC + " g x + 1",
        "XPENDING " + BTC + " g - + x",
        "XPENDING " + BTC + " g IDLE",
        "XPENDING " + BTC + " g IDLE x - + 1",
        "XPENDING " + BTC + " g -",
        "XPENDING " + BTC + " g - +",
        "XPENDING " + BTC + " g - + 10 nosuch",
        "XPENDING " + BTC + " g IDLE 99999999 - + 10",
        "XACK " + BTC + " g 1 9",
        "XACK " + BTC + " g 1",
        "XACK " + BTC + " g 2-1 3-0",
        "XACK " + BTC + " nog 1",
        "XACK nokey g 1",
        "XACK " + BTC + " g x",
        "XACK " + BTC + " g",
        "XPENDING " + BTC + " g",
        "XGROUP SETID " + BTC + " g 0",
        "XGROUP SETID " + BTC + " g $ ENTRIESREAD 5",
        "XGROUP SETID " + BTC + " g 0 FOO",
        "XGROUP SETID " + BTC + " nog 0",
        "XGROUP SETID nokey g 0",
        "XGROUP CREATECONSUMER " + BTC + " g c9",
        "XGROUP CREATECONSUMER " + BTC + " g c9",
        "XGROUP CREATECONSUMER " + BTC + " nog c9",
        "XGROUP CREATECONSUMER nokey g c9",
        "XGROUP DELCONSUMER " + BTC + " g c9",
        "XGROUP DELCONSUMER " + BTC + " g c9",
        "XGROUP DELCONSUMER " + BTC + " g c1",
        "XPENDING " + BTC + " g",
        "XGROUP DESTROY " + BTC + " g3",
        "XGROUP DESTROY " + BTC + " g3",
        "XGROUP DESTROY nokey g",
        "XINFO CONSUMERS " + BTC + " nog",
        "XINFO CONSUMERS nokey g",
        "XINFO STREAM " + BTC,
        "XGROUP CREATE " + XRP + " g $ MKSTREAM",
        "XINFO STREAM " + XRP,
        "XRANGE " + XRP + " - +",
        "XREVRANGE " + XRP + " + - COUNT 0",
        "XLEN " + XRP,
        "XREAD STREAMS " + XRP + " 0",
        "XREADGROUP GROUP g c STREAMS " + XRP + " >",
        "XREADGROUP GROUP g c STREAMS " + XRP + " 0",
        "XPENDING " + XRP + " g",
        "XPENDING " + XRP + " g - + 10",
    };

    @ParameterizedTest
    @ValueSource(ints = { 2, 3 })
    void repliesAsRedisServerDoes(final int protocol) throws Exception
    {
        Assumptions.assumeTrue(RedisServerProcess.executable() != null, "redis-server is not installed");
        try (StreamNodeFixture fixture = new StreamNodeFixture();
            RedisServerProcess redis = RedisServerProcess.start();
            RawRespConnection node = new RawRespConnection("127.0.0.1", fixture.port());
            RawRespConnection reference = new RawRespConnection("127.0.0.1", redis.port()))
        {
            final FillStream btc = fixture.addPair("BTC-USD");
            final FillStream eth = fixture.addPair("ETH-USD");
            fixture.addPair("XRP-USD");
            fixture.fills(btc, 5);
            fixture.fills(eth, 2);
            copyEntries(fixture, btc, reference);
            copyEntries(fixture, eth, reference);
            if (protocol == 3)
            {
                node.call("HELLO", "3");
                reference.call("HELLO", "3");
            }
            final List<String> mismatches = new ArrayList<>();
            for (final String command : COMMANDS)
            {
                final String[] args = command.split(" ");
                final String expected = reference.call(args);
                final String actual;
                try
                {
                    actual = node.call(args);
                }
                catch (final java.io.UncheckedIOException ex)
                {
                    throw new AssertionError("no reply from the node to " + command, ex);
                }
                if (!expected.equals(actual))
                {
                    mismatches.add(command + "\n  redis: " + printable(expected) + "\n  node:  " + printable(actual));
                }
            }
            assertEquals("", String.join("\n", mismatches));
        }
    }

    /** Adds the node's committed entries to redis-server with XADD, field by field as the node shows them. */
    private static void copyEntries(final StreamNodeFixture fixture, final FillStream stream, final RawRespConnection redis)
        throws Exception
    {
        final List<String[]> xadds = fixture.onLoop(() ->
        {
            final List<String[]> commands = new ArrayList<>();
            final UnsafeBuffer value = new UnsafeBuffer(new byte[128]);
            for (long seq = stream.firstSeq(); seq <= stream.committedSeq(); seq++)
            {
                final String[] args = new String[3 + FillField.COUNT * 2];
                args[0] = "XADD";
                args[1] = stream.keyName();
                args[2] = seq + "-0";
                for (int f = 0; f < FillField.COUNT; f++)
                {
                    final int length = stream.formatField(seq, f, value, 0);
                    args[3 + f * 2] = new String(FillField.name(f), java.nio.charset.StandardCharsets.US_ASCII);
                    args[4 + f * 2] = value.getStringWithoutLengthAscii(0, length);
                }
                commands.add(args);
            }
            return commands;
        });
        for (final String[] xadd : xadds)
        {
            redis.call(xadd);
        }
    }

    private static String printable(final String reply)
    {
        return reply.replace("\r\n", "\\r\\n");
    }
}
