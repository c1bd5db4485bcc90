package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Determinism end to end: thousands of random trading commands from two real connections, recorded by a
 * {@link CommandLog} on the node's sequencer, replayed with their stamps into fresh nodes that never open a socket,
 * give the same {@code DEBUG DIGEST} every time.
 */
@Timeout(300)
class CommandLogReplayTest
{
    private static final String[] PAIRS = {"BTC-USDT", "ETH-BTC"};
    private static final int COMMANDS = 4_000;
    private static final int BATCH = 50;

    /** One logged command: its exact bytes and stamps. */
    private record LoggedCommand(byte[] frame, long logSeq, long engineTime)
    {
    }

    /** Keeps a copy of every command appended, as the durable log would. */
    private static final class RecordingLog implements CommandLog
    {
        private final List<LoggedCommand> commands = Collections.synchronizedList(new ArrayList<>());

        public void append(
            final long logSeq, final long engineTime, final ByteBuf frame, final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            frame.getBytes(offset, bytes);
            commands.add(new LoggedCommand(bytes, logSeq, engineTime));
        }

        List<LoggedCommand> snapshot()
        {
            synchronized (commands)
            {
                return new ArrayList<>(commands);
            }
        }
    }

    @Test
    void replayingTheRecordedLogReproducesTheDigest() throws Exception
    {
        final long seed = System.nanoTime();
        final RecordingLog log = new RecordingLog();
        final String liveDigest;
        final int writes;
        try (TradingNode live = TradingNode.start();
            TradingClient first = live.client();
            TradingClient second = live.client())
        {
            final Sequencer sequencer = live.node().sequencer();
            live.node().eventLoop().submit(() -> sequencer.commandLog(log)).sync();
            first.addPair(PAIRS[0], "TICK", "0.01", "LOT", "0.0001", "MIN_QTY", "0.001", "MAKER_FEE", "0.001",
                "TAKER_FEE", "0.002");
            first.addPair(PAIRS[1], "TICK", "0.00001", "LOT", "0.001", "TAKER_FEE", "0.0001");
            first.error("PAIR.ADD", PAIRS[0], "TICK", "1", "LOT", "1");

            final RandomTrader trader = new RandomTrader(new Random(seed));
            int sent = 0;
            while (sent < COMMANDS)
            {
                final TradingClient client = (sent / BATCH) % 2 == 0 ? first : second;
                final Pipeline pipeline = client.jedis().pipelined();
                final List<Response<Object>> replies = new ArrayList<>();
                for (int i = 0; i < BATCH; i++)
                {
                    final String[] command = trader.next();
                    replies.add(pipeline.sendCommand(TradingClient.command(command[0]),
                        java.util.Arrays.copyOfRange(command, 1, command.length)));
                }
                pipeline.sync();
                for (final Response<Object> reply : replies)
                {
                    trader.observe(reply);
                }
                sent += BATCH;
            }
            liveDigest = first.digest();
            assertEquals(liveDigest, second.digest());
            writes = log.snapshot().size();
            assertTrue(trader.fills(first) > 100, "seed " + seed + ": too few trades to mean anything");
            assertTrue(trader.accepted > COMMANDS / 4 && trader.rejected > COMMANDS / 20,
                "seed " + seed + ": accepted " + trader.accepted + ", rejected " + trader.rejected);
        }

        final List<LoggedCommand> commands = log.snapshot();
        assertEquals(writes, commands.size());
        for (int i = 0; i < commands.size(); i++)
        {
            assertEquals(i + 1, commands.get(i).logSeq(), "log sequence must be gapless from 1");
            if (i > 0)
            {
                assertTrue(commands.get(i).engineTime() > commands.get(i - 1).engineTime(), "engine time rises");
            }
        }

        assertEquals(liveDigest, replay(commands, 0), "seed " + seed + ": first replay");
        assertEquals(liveDigest, replay(commands, 0), "seed " + seed + ": second replay");
        assertNotEquals(liveDigest, replay(commands, 1), "engine time is part of the state");
    }

    @Test
    void closedOrdersAndTheirClientIdsExpireAfterTheRetentionInEngineTime()
    {
        final long start = 1_700_000_000_000_000L;
        final long retention = MatchingEngine.CLOSED_RETENTION_MICROS_DEFAULT;
        final String[] place =
            {"ORDER.PLACE", "X-Y", "BUY", "ACCOUNT", "a", "QTY", "1", "PRICE", "10", "CLIENT_ID", "c"};
        final EngineNode standby = new EngineNode(TradingNode.context());
        try
        {
            final MatchingEngine engine = TradingNode.engine(standby);
            replay(standby, 1, start, "PAIR.ADD", "X-Y", "TICK", "1", "LOT", "1");
            replay(standby, 2, start + 1, place);
            replay(standby, 3, start + 2, "ORDER.CANCEL", "X-Y", "1");
            final PairEngine pair = engine.pair("X-Y");
            assertEquals("CANCELLED", pair.find(1).status.name());

            replay(standby, 4, start + 2 + retention - 1, place);
            assertEquals(null, pair.find(2), "still retained: the client id names order 1");
            assertEquals("CANCELLED", pair.find(1).status.name());

            replay(standby, 5, start + 2 + retention, place);
            assertEquals(null, pair.find(1), "expired with the retention");
            assertEquals("NEW", pair.find(2).status.name());
            assertEquals("c", pair.find(2).clientId);
        }
        finally
        {
            standby.close();
        }
    }

    private static void replay(final EngineNode node, final long logSeq, final long engineTime, final String... args)
    {
        final byte[] frame = RawRespConnection.encode(args);
        assertTrue(node.replay(Unpooled.wrappedBuffer(frame), 0, frame.length, logSeq, engineTime));
    }

    private static String replay(final List<LoggedCommand> commands, final long timeShift)
    {
        final EngineNode standby = new EngineNode(TradingNode.context());
        try
        {
            for (final LoggedCommand command : commands)
            {
                final ByteBuf frame = Unpooled.wrappedBuffer(command.frame());
                assertTrue(standby.replay(frame, 0, command.frame().length, command.logSeq(),
                    command.engineTime() + timeShift), "replay of log entry " + command.logSeq());
            }
            return TradingNode.engine(standby).digest();
        }
        finally
        {
            standby.close();
        }
    }

    /** Generates a random mix of valid and invalid trading commands, remembering what it learned from replies. */
    private static final class RandomTrader
    {
        private final Random random;
        private final List<String[]> openOrders = new ArrayList<>();
        private final List<String[]> clientIds = new ArrayList<>();
        private int accepted;
        private int rejected;

        RandomTrader(final Random random)
        {
            this.random = random;
        }

        String[] next()
        {
            final String pair = PAIRS[random.nextInt(10) < 7 ? 0 : 1];
            final String account = "acct-" + random.nextInt(6);
            final int kind = random.nextInt(100);
            if (kind < 40)
            {
                return limit(pair, account);
            }
            if (kind < 48)
            {
                return new String[]{"ORDER.PLACE", pair, side(), "ACCOUNT", account, "QTY", qty(pair)};
            }
            if (kind < 51)
            {
                return new String[]{"ORDER.PLACE", pair, "BUY", "ACCOUNT", account, "QUOTE_QTY", price(pair)};
            }
            if (kind < 56)
            {
                final boolean buy = random.nextBoolean();
                final String[] stop = {"ORDER.PLACE", pair, buy ? "BUY" : "SELL", "ACCOUNT", account, "QTY", qty(pair),
                    "STOP", price(pair)};
                return random.nextBoolean() ? stop : append(stop, "PRICE", price(pair));
            }
            if (kind < 66 && !openOrders.isEmpty())
            {
                final String[] order = openOrders.get(random.nextInt(openOrders.size()));
                return new String[]{"ORDER.CANCEL", order[0], order[1]};
            }
            if (kind < 70 && !clientIds.isEmpty())
            {
                final String[] order = clientIds.get(random.nextInt(clientIds.size()));
                return new String[]{"ORDER.CANCEL", order[0], "CLIENT_ID", order[1], order[2]};
            }
            if (kind < 82 && !openOrders.isEmpty())
            {
                final String[] order = openOrders.get(random.nextInt(openOrders.size()));
                final int what = random.nextInt(3);
                if (what == 0)
                {
                    return new String[]{"ORDER.AMEND", order[0], order[1], "QTY", qty(order[0])};
                }
                if (what == 1)
                {
                    return new String[]{"ORDER.AMEND", order[0], order[1], "PRICE", price(order[0])};
                }
                return new String[]{"ORDER.AMEND", order[0], order[1], "PRICE", price(order[0]), "QTY", qty(order[0])};
            }
            if (kind < 84)
            {
                return new String[]{"ORDER.CANCELALL", pair, "ACCOUNT", account};
            }
            if (kind < 85)
            {
                return new String[]{random.nextBoolean() ? "PAIR.HALT" : "PAIR.RESUME", pair};
            }
            if (kind < 90 && !clientIds.isEmpty())
            {
                final String[] order = clientIds.get(random.nextInt(clientIds.size()));
                return new String[]{"ORDER.PLACE", order[0], side(), "ACCOUNT", order[1], "QTY", qty(order[0]),
                    "CLIENT_ID", order[2]};
            }
            return invalid(pair, account);
        }

        private String[] limit(final String pair, final String account)
        {
            String[] command = {"ORDER.PLACE", pair, side(), "ACCOUNT", account, "QTY", qty(pair), "PRICE",
                price(pair)};
            final int option = random.nextInt(10);
            if (option == 0)
            {
                command = append(command, "TIF", "IOC");
            }
            else if (option == 1)
            {
                command = append(command, "TIF", "FOK");
            }
            else if (option == 2)
            {
                command = append(command, "POST_ONLY");
            }
            if (random.nextInt(4) == 0)
            {
                command = append(command, "CLIENT_ID", "cid-" + random.nextInt(200));
            }
            if (random.nextInt(5) == 0)
            {
                command = append(command, "STP", random.nextBoolean() ? "NONE" : "CANCEL_BOTH");
            }
            return command;
        }

        private String[] invalid(final String pair, final String account)
        {
            switch (random.nextInt(8))
            {
                case 0:
                    return new String[]{"ORDER.PLACE", pair, side(), "ACCOUNT", account, "QTY", "-1"};
                case 1:
                    return new String[]{"ORDER.PLACE", pair, side(), "ACCOUNT", account, "QTY", "1", "PRICE",
                        "1.000001"};
                case 2:
                    return new String[]{"ORDER.PLACE", "NOPE-X", side(), "ACCOUNT", account, "QTY", "1"};
                case 3:
                    return new String[]{"ORDER.PLACE", pair, side(), "ACCOUNT", "bad account", "QTY", "1"};
                case 4:
                    return new String[]{"ORDER.CANCEL", pair, Integer.toString(100_000 + random.nextInt(1000))};
                case 5:
                    return new String[]{"ORDER.AMEND", pair, "abc", "QTY", "1"};
                case 6:
                    return new String[]{"ORDER.PLACE", pair, side(), "ACCOUNT", account, "QTY", "1", "BOGUS", "1"};
                default:
                    return new String[]{"ORDER.PLACE", pair, side(), "ACCOUNT", account, "QTY", "1", "PRICE", "1",
                        "TIF", "IOC", "POST_ONLY"};
            }
        }

        void observe(final Response<Object> response)
        {
            final Object reply;
            try
            {
                reply = TradingClient.plain(response.get());
            }
            catch (final RuntimeException ex)
            {
                rejected++;
                return;
            }
            accepted++;
            if (!(reply instanceof List))
            {
                return;
            }
            final Map<String, Object> record = TradingClient.record(reply);
            final String[] order = {(String)record.get("pair"), record.get("order_id").toString()};
            final String status = (String)record.get("status");
            final boolean open = status.equals("NEW") || status.equals("PARTIALLY_FILLED") ||
                status.equals("PENDING_TRIGGER");
            openOrders.removeIf(known -> known[0].equals(order[0]) && known[1].equals(order[1]));
            if (open)
            {
                openOrders.add(order);
            }
            if (record.get("client_id") != null && clientIds.size() < 100)
            {
                clientIds.add(new String[]{order[0], (String)record.get("account"), (String)record.get("client_id")});
            }
        }

        long fills(final TradingClient client)
        {
            long fills = 0;
            for (final String pair : PAIRS)
            {
                fills += (Long)client.record("TICKER", pair).get("trades");
            }
            return fills;
        }

        private String side()
        {
            return random.nextBoolean() ? "BUY" : "SELL";
        }

        private String qty(final String pair)
        {
            return pair.equals(PAIRS[0]) ? "0.0" + (10 + random.nextInt(90)) : Integer.toString(1 + random.nextInt(20));
        }

        private String price(final String pair)
        {
            if (pair.equals(PAIRS[0]))
            {
                return Integer.toString(100 + random.nextInt(10)) + "." + random.nextInt(100);
            }
            return "0.05" + (100 + random.nextInt(50));
        }

        private static String[] append(final String[] command, final String... more)
        {
            final String[] all = java.util.Arrays.copyOf(command, command.length + more.length);
            System.arraycopy(more, 0, all, command.length, more.length);
            return all;
        }
    }
}
