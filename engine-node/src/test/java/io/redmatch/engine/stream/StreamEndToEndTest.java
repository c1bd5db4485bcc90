package io.redmatch.engine.stream;

import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.EngineNodeContext;
import io.redmatch.engine.node.MatchingCommandGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fills made by the matching engine from {@code ORDER.PLACE}, read back as stream entries, with the engine and the
 * stream commands sharing one {@link FillStreamRegistry} as a node wires them.
 */
@Timeout(60)
class StreamEndToEndTest
{
    @Test
    void ordersThatTradeAppearAsEntries() throws Exception
    {
        final FillStreamRegistry fills = new FillStreamRegistry();
        final EngineNodeContext context = new EngineNodeContext().port(0);
        context.commandGroups().removeIf((group) -> group instanceof StreamCommands ||
            group instanceof MatchingCommandGroup);
        context.addCommandGroup(new MatchingCommandGroup(fills)).addCommandGroup(new StreamCommands(fills));
        try (EngineNode node = new EngineNode(context).start();
            Jedis jedis = new Jedis("127.0.0.1", node.port());
            Jedis reader = new Jedis("127.0.0.1", node.port()))
        {
            jedis.sendCommand(() -> "PAIR.ADD".getBytes(),
                "BTC-USD", "TICK", "0.01", "LOT", "0.001", "MAKER_FEE", "0.001", "TAKER_FEE", "0.002");
            final CompletableFuture<List<Map.Entry<String, List<StreamEntry>>>> blocked = CompletableFuture.supplyAsync(
                () -> reader.xread(XReadParams.xReadParams().block(0),
                    Map.of("fills:BTC-USD", StreamEntryID.XREAD_NEW_ENTRY)));
            Thread.sleep(100);
            jedis.sendCommand(() -> "ORDER.PLACE".getBytes(),
                "BTC-USD", "SELL", "ACCOUNT", "alice", "QTY", "1", "PRICE", "30000.5");
            jedis.sendCommand(() -> "ORDER.PLACE".getBytes(),
                "BTC-USD", "BUY", "ACCOUNT", "bob", "QTY", "0.4", "PRICE", "30001");

            final List<StreamEntry> woken = blocked.get(10, TimeUnit.SECONDS).get(0).getValue();
            assertEquals(1, woken.size());
            final Map<String, String> fill = jedis.xrange("fills:BTC-USD", "-", "+").get(0).getFields();
            assertEquals(woken.get(0).getFields(), fill);
            assertEquals("1", fill.get("seq"));
            assertEquals("BTC-USD", fill.get("pair"));
            assertEquals("30000.5", fill.get("price"));
            assertEquals("0.4", fill.get("qty"));
            assertEquals("12000.2", fill.get("quote_qty"));
            assertEquals("BUY", fill.get("taker_side"));
            assertEquals("bob", fill.get("taker_account"));
            assertEquals("alice", fill.get("maker_account"));
            // the buyer's fee in base, rounded up to 8 decimals; the seller's in quote
            assertEquals("0.0008", fill.get("taker_fee"));
            assertEquals("12.0002", fill.get("maker_fee"));
            assertEquals(1, jedis.xlen("fills:BTC-USD"));
        }
    }
}
