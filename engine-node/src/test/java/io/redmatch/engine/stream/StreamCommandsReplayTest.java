package io.redmatch.engine.stream;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Determinism of the consumer group commands: a second node that replays the first one's command log, with the same
 * fills made at the same points of it, ends with the same groups, pending lists, delivery times and counts, including
 * across a blocked {@code XREADGROUP} woken by a commit.
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

            final List<StreamNodeFixture.LoggedCommand> log = primary.loggedCommands();
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

            final String expected = primary.onLoop(() -> describe(primaryStream));
            assertTrue(expected.contains("c2 pending=2"), expected);
            assertEquals(expected, standby.onLoop(() -> describe(standbyStream)));
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
}
