package io.redmatch.engine.stream;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Determinism of the consumer group commands: a second node that replays the first one's command log, with the same
 * fills made at the same points of it, ends with the same groups, pending lists, delivery times and counts, including
 * across a blocked {@code XREADGROUP} woken by a commit; and a command left out of the log (one that found nothing to
 * deliver, read back or acknowledge) changed nothing.
 */
@Timeout(60)
class StreamCommandsReplayTest
{
    private static final String KEY = "fills:BTC-USD";
    private static final long FILL_TS = 1_700_000_000_000_000L;

    @Test
    void replayingTheLogGivesTheSameGroupState() throws Exception
    {
        try (StreamNodeFixture primary = new StreamNodeFixture(); StreamNodeFixture standby = new StreamNodeFixture())
        {
            final FillStream primaryStream = primary.addPair("BTC-USD");
            final FillStream standbyStream = standby.addPair("BTC-USD");
            // what the engine would have logged: after how many commands, how many fills were made
            final List<long[]> fillPoints = new ArrayList<>();

            try (Jedis jedis = new Jedis("127.0.0.1", primary.port());
                Jedis other = new Jedis("127.0.0.1", primary.port()))
            {
                jedis.xgroupCreate(KEY, "clearing", StreamEntryID.XGROUP_LAST_ENTRY, false);
                jedis.xgroupCreate(KEY, "audit", new StreamEntryID(0, 0), false);
                makeFills(primary, primaryStream, 3, fillPoints);
                jedis.xreadGroup("clearing", "c1", XReadGroupParams.xReadGroupParams().count(2),
                    Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
                jedis.xack(KEY, "clearing", new StreamEntryID(1, 0));
                jedis.xreadGroup("clearing", "c2", XReadGroupParams.xReadGroupParams().block(0),
                    Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));

                final CompletableFuture<List<Map.Entry<String, List<StreamEntry>>>> blocked =
                    CompletableFuture.supplyAsync(() -> other.xreadGroup("clearing", "c2",
                        XReadGroupParams.xReadGroupParams().block(0),
                        Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (primary.onLoop(() -> primary.node.blockingKeys().blockedCount()) < 1)
                {
                    assertTrue(System.nanoTime() < deadline, "XREADGROUP did not block");
                    Thread.sleep(5);
                }
                makeFills(primary, primaryStream, 2, fillPoints);
                assertEquals(2, blocked.get(10, TimeUnit.SECONDS).get(0).getValue().size());

                jedis.xreadGroup("audit", "a1", XReadGroupParams.xReadGroupParams().noAck(),
                    Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
                jedis.xreadGroup("clearing", "c1", XReadGroupParams.xReadGroupParams(),
                    Map.of(KEY, new StreamEntryID(0, 0)));
                jedis.xgroupCreateConsumer(KEY, "clearing", "c3");
                jedis.xack(KEY, "clearing", new StreamEntryID(4, 0), new StreamEntryID(9, 0));
            }

            replay(primary.loggedCommands(), fillPoints, standby, standbyStream);
            final String expected = primary.onLoop(() -> describe(primaryStream));
            assertTrue(expected.contains("c2 pending=2"), expected);
            assertEquals(expected, standby.onLoop(() -> describe(standbyStream)));
        }
    }

    @Test
    void aGroupCommandLeftOutOfTheLogChangesNothingAndTheLogRebuildsTheState() throws Exception
    {
        final long seed = Long.getLong("redmatch.test.seed", System.nanoTime());
        final Random random = new Random(seed);
        final String context = "seed " + seed + " (-Dredmatch.test.seed=" + seed + "): ";
        try (StreamNodeFixture primary = new StreamNodeFixture(); StreamNodeFixture standby = new StreamNodeFixture();
            Jedis jedis = new Jedis("127.0.0.1", primary.port()))
        {
            final FillStream primaryStream = primary.addPair("BTC-USD");
            final FillStream standbyStream = standby.addPair("BTC-USD");
            final List<long[]> fillPoints = new ArrayList<>();
            jedis.xgroupCreate(KEY, "g", new StreamEntryID(0, 0), false);
            jedis.xgroupCreate(KEY, "h", StreamEntryID.XGROUP_LAST_ENTRY, false);
            int unlogged = 0;
            for (int step = 0; step < 1500; step++)
            {
                if (random.nextInt(12) == 0)
                {
                    makeFills(primary, primaryStream, 1 + random.nextInt(4), fillPoints);
                    continue;
                }
                final String[] command = randomGroupCommand(random, primary.onLoop(primaryStream::lastSeq));
                final int loggedBefore = primary.loggedCommands().size();
                final String before = primary.onLoop(() -> describe(primaryStream));
                try
                {
                    jedis.sendCommand(RawCommand.of(command[0]), Arrays.copyOfRange(command, 1, command.length));
                }
                catch (final JedisDataException ex)
                {
                    // errors are part of the mix: they change nothing and must not be logged
                }
                if (primary.loggedCommands().size() == loggedBefore)
                {
                    unlogged++;
                    assertEquals(before, primary.onLoop(() -> describe(primaryStream)),
                        context + String.join(" ", command) + " was not logged but changed the state");
                }
            }
            assertTrue(unlogged > 100, context + "only " + unlogged + " commands were left out of the log");
            assertTrue(primary.loggedCommands().size() > 200, context + "too few commands logged");

            replay(primary.loggedCommands(), fillPoints, standby, standbyStream);
            assertEquals(primary.onLoop(() -> describe(primaryStream)), standby.onLoop(() -> describe(standbyStream)),
                context + "the state rebuilt from the log");
        }
    }

    /** A consumer-group command of the kinds a consumer sends, sometimes with nothing to do, sometimes wrong. */
    private static String[] randomGroupCommand(final Random random, final long lastSeq)
    {
        final String group = random.nextInt(20) == 0 ? "nogroup" : (random.nextBoolean() ? "g" : "h");
        final String consumer = "c" + random.nextInt(4);
        final int kind = random.nextInt(20);
        if (kind < 12)
        {
            final List<String> args = new ArrayList<>(List.of("XREADGROUP", "GROUP", group, consumer));
            if (random.nextBoolean())
            {
                args.addAll(List.of("COUNT", String.valueOf(1 + random.nextInt(5))));
            }
            if (random.nextInt(8) == 0)
            {
                args.add("NOACK");
            }
            final int id = random.nextInt(10);
            args.addAll(List.of("STREAMS", KEY,
                id < 6 ? ">" : (id < 8 ? "0" : String.valueOf(random.nextInt((int)lastSeq + 2)))));
            return args.toArray(new String[0]);
        }
        if (kind < 18)
        {
            final List<String> args = new ArrayList<>(List.of("XACK", KEY, group));
            for (int i = random.nextInt(3); i >= 0; i--)
            {
                args.add(random.nextInt(30) == 0 ? "not-an-id" : String.valueOf(random.nextInt((int)lastSeq + 3)));
            }
            return args.toArray(new String[0]);
        }
        if (kind == 18)
        {
            return new String[]{ "XGROUP", "DELCONSUMER", KEY, group, consumer };
        }
        return new String[]{ "XGROUP", "SETID", KEY, group, String.valueOf(random.nextInt((int)lastSeq + 1)) };
    }

    /**
     * Applies a primary's log to a second node, making the same fills at the same points of it, as a standby or a
     * restart would.
     */
    private static void replay(
        final List<StreamNodeFixture.LoggedCommand> log, final List<long[]> fillPoints,
        final StreamNodeFixture standby, final FillStream standbyStream)
    {
        int nextFill = 0;
        for (int i = 0; i <= log.size(); i++)
        {
            while (nextFill < fillPoints.size() && fillPoints.get(nextFill)[0] == i)
            {
                final int count = (int)fillPoints.get(nextFill++)[1];
                standby.onLoop(() ->
                {
                    StreamNodeFixture.appendFills(standbyStream, count, FILL_TS);
                    return null;
                });
            }
            if (i < log.size())
            {
                final StreamNodeFixture.LoggedCommand command = log.get(i);
                assertTrue(standby.onLoop(() -> standby.node.replay(
                    Unpooled.wrappedBuffer(command.frame()), 0, command.frame().length, command.logSeq(),
                    command.engineTime())), new String(command.frame(), StandardCharsets.UTF_8));
            }
        }
    }

    private static void makeFills(
        final StreamNodeFixture fixture, final FillStream stream, final int count, final List<long[]> fillPoints)
    {
        fixture.onLoop(() ->
        {
            fillPoints.add(new long[]{ fixture.loggedCommands().size(), count });
            StreamNodeFixture.appendFills(stream, count, FILL_TS);
            return null;
        });
    }

    /** Everything the groups of a stream hold, as text. */
    private static String describe(final FillStream stream)
    {
        final StringBuilder text = new StringBuilder();
        text.append("first=").append(stream.firstSeq()).append(" last=").append(stream.lastSeq()).append('\n');
        for (int g = 0; g < stream.groupCount(); g++)
        {
            final ConsumerGroup group = stream.group(g);
            text.append(new String(group.name(), StandardCharsets.US_ASCII))
                .append(" lastDelivered=").append(group.lastDeliveredSeq())
                .append(" pending=").append(group.pendingCount()).append('\n');
            for (long seq = group.nextPendingSeq(null, 0); seq != 0; seq = group.nextPendingSeq(null, seq))
            {
                text.append("  ").append(seq).append(' ')
                    .append(new String(group.pendingOwner(seq).name(), StandardCharsets.US_ASCII))
                    .append(" t=").append(group.deliveryTime(seq))
                    .append(" n=").append(group.deliveryCount(seq)).append('\n');
            }
            for (int c = 0; c < group.consumerCount(); c++)
            {
                final StreamConsumer consumer = group.consumer(c);
                text.append("  ").append(new String(consumer.name(), StandardCharsets.US_ASCII))
                    .append(" pending=").append(consumer.pendingCount())
                    .append(" seen=").append(consumer.seenTime())
                    .append(" active=").append(consumer.activeTime()).append('\n');
            }
        }
        return text.toString();
    }

    /** Any command name for {@code Jedis.sendCommand}. */
    private record RawCommand(byte[] getRaw) implements ProtocolCommand
    {
        static RawCommand of(final String name)
        {
            return new RawCommand(name.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
