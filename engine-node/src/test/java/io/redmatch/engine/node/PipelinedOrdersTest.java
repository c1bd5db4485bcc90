package io.redmatch.engine.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ten thousand {@code ORDER.PLACE} in one Jedis pipeline: every reply comes back, in order, with rising ids. */
@Timeout(120)
class PipelinedOrdersTest
{
    private static final String PAIR = "BTC-USDT";
    private static final int ORDERS = 10_000;

    @Test
    void tenThousandPipelinedPlacementsReplyInOrder()
    {
        try (TradingNode node = TradingNode.start(); TradingClient client = node.client())
        {
            client.addPair(PAIR, "TICK", "0.01", "LOT", "0.0001");
            final Pipeline pipeline = client.jedis().pipelined();
            final List<Response<Object>> replies = new ArrayList<>(ORDERS);
            for (int i = 0; i < ORDERS; i++)
            {
                final boolean buy = i % 2 == 0;
                final String price = Integer.toString(buy ? 100 - i % 7 : 99 + i % 5);
                replies.add(pipeline.sendCommand(TradingClient.command("ORDER.PLACE"), PAIR, buy ? "BUY" : "SELL",
                    "ACCOUNT", account(i), "QTY", "0.0" + (1 + i % 9), "PRICE", price, "CLIENT_ID", "p-" + i));
            }
            pipeline.sync();

            long previousId = 0;
            long fills = 0;
            for (int i = 0; i < ORDERS; i++)
            {
                final Map<String, Object> record = TradingClient.record(TradingClient.plain(replies.get(i).get()));
                final long orderId = TradingClient.orderId(record);
                assertEquals("p-" + i, record.get("client_id"), "reply " + i + " out of order");
                assertEquals(previousId + 1, orderId, "order ids rise by one");
                previousId = orderId;
                fills += TradingClient.fills(record).size();
            }
            assertTrue(fills > 0);
            assertEquals(fills, client.record("TICKER", PAIR).get("trades"));

            // every client id, among thousands of accounts, still names its order
            final List<Response<Object>> lookups = new ArrayList<>(ORDERS);
            for (int i = 0; i < ORDERS; i++)
            {
                lookups.add(pipeline.sendCommand(TradingClient.command("ORDER.GET"), PAIR, "CLIENT_ID", account(i),
                    "p-" + i));
            }
            pipeline.sync();
            for (int i = 0; i < ORDERS; i++)
            {
                final Map<String, Object> record = TradingClient.record(TradingClient.plain(lookups.get(i).get()));
                assertEquals(i + 1L, TradingClient.orderId(record), "client id p-" + i);
            }
            assertEquals("PONG", client.call("PING"));
        }
    }

    private static String account(final int i)
    {
        return "trader-" + i % 3_000;
    }
}
