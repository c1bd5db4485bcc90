package io.redmatch.engine.node;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trading commands through Lettuce's custom command dispatch, in RESP2 and in RESP3 (negotiated with
 * {@code HELLO 3}): records are flat arrays in RESP2 and maps in RESP3, nils are nulls in both; plus the exact wire
 * bytes of records and nils, read from a plain socket.
 */
@Timeout(60)
class TradingLettuceTest
{
    private static final String PAIR = "SOL-USDC";

    private TradingNode node;
    private RedisClient redisClient;

    private static final class Keyword implements ProtocolKeyword
    {
        private final String name;
        private final byte[] bytes;

        Keyword(final String name)
        {
            this.name = name;
            this.bytes = name.getBytes(StandardCharsets.US_ASCII);
        }

        public byte[] getBytes()
        {
            return bytes;
        }

        public String toString()
        {
            return name;
        }
    }

    @BeforeEach
    void startNode()
    {
        node = TradingNode.start();
        try (TradingClient client = node.client())
        {
            client.addPair(PAIR, "TICK", "0.001", "LOT", "0.01", "TAKER_FEE", "0.0005");
        }
        redisClient = RedisClient.create(RedisURI.create(TradingNode.HOST, node.port()));
    }

    @AfterEach
    void stopNode()
    {
        redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        node.close();
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void orderRecordIsAMapInResp3AndAFlatArrayInResp2(final ProtocolVersion protocol)
    {
        try (StatefulRedisConnection<String, String> connection = connect(protocol))
        {
            call(connection, "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "maker", "QTY", "2.50", "PRICE", "20.100");
            final Map<Object, Object> record = record(protocol, call(connection, "ORDER.PLACE", PAIR, "BUY",
                "ACCOUNT", "taker", "QTY", "1", "PRICE", "20.2", "CLIENT_ID", "t-1"));

            assertEquals(OrderCommandsEndToEndTest.RECORD_FIELDS, new ArrayList<>(record.keySet()));
            assertEquals(2L, record.get("order_id"));
            assertEquals("t-1", record.get("client_id"));
            assertEquals("taker", record.get("account"));
            assertEquals(PAIR, record.get("pair"));
            assertEquals("BUY", record.get("side"));
            assertEquals("LIMIT", record.get("type"));
            assertEquals("20.2", record.get("price"));
            assertEquals("FILLED", record.get("status"));
            assertNull(record.get("reason"));
            assertEquals("1", record.get("qty"));
            assertEquals("1", record.get("filled_qty"));
            assertEquals("0", record.get("open_qty"));
            assertEquals("20.1", record.get("avg_price"));
            assertEquals(List.of(List.of(1L, "20.1", "1")), record.get("fills"));
            assertInstanceOf(Long.class, record.get("ts"));
            assertNull(record.get("stop_price"));

            final Map<Object, Object> maker = record(protocol, call(connection, "ORDER.GET", PAIR, "1"));
            assertEquals("PARTIALLY_FILLED", maker.get("status"));
            assertEquals("1.5", maker.get("open_qty"));
            assertNull(maker.get("client_id"));
            assertEquals(List.of(), maker.get("fills"));
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void nilAndEmptyReplies(final ProtocolVersion protocol)
    {
        try (StatefulRedisConnection<String, String> connection = connect(protocol))
        {
            assertNull(call(connection, "ORDER.GET", PAIR, "42"));
            assertNull(call(connection, "ORDER.GET", PAIR, "CLIENT_ID", "nobody", "x"));
            assertEquals(List.of(), call(connection, "ORDER.LIST", PAIR, "ACCOUNT", "nobody"));
            assertEquals(0L, call(connection, "ORDER.CANCELALL", PAIR, "ACCOUNT", "nobody"));

            final Map<Object, Object> bbo = record(protocol, call(connection, "BOOK.BBO", PAIR));
            assertEquals(List.of("bid_price", "bid_qty", "ask_price", "ask_qty"), new ArrayList<>(bbo.keySet()));
            assertTrue(bbo.values().stream().allMatch(value -> value == null), bbo.toString());

            final Map<Object, Object> depth = record(protocol, call(connection, "BOOK.DEPTH", PAIR));
            assertEquals(Arrays.asList("bids", "asks", "seq"), new ArrayList<>(depth.keySet()));
            assertEquals(List.of(), depth.get("bids"));
            assertEquals(0L, depth.get("seq"));

            final Map<Object, Object> ticker = record(protocol, call(connection, "TICKER", PAIR));
            assertNull(ticker.get("last"));
            assertEquals("0", ticker.get("volume"));
            assertEquals(0L, ticker.get("trades"));
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void listDepthAndPairInfo(final ProtocolVersion protocol)
    {
        try (StatefulRedisConnection<String, String> connection = connect(protocol))
        {
            call(connection, "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "1", "PRICE", "19.5");
            call(connection, "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "2", "PRICE", "19.5");
            call(connection, "ORDER.PLACE", PAIR, "SELL", "ACCOUNT", "a", "QTY", "3", "PRICE", "21");

            final List<?> orders = (List<?>)call(connection, "ORDER.LIST", PAIR, "ACCOUNT", "a");
            assertEquals(3, orders.size());
            final List<Object> ids = new ArrayList<>();
            for (final Object order : orders)
            {
                ids.add(record(protocol, order).get("order_id"));
            }
            assertEquals(List.of(1L, 2L, 3L), ids);

            final Map<Object, Object> depth = record(protocol, call(connection, "BOOK.DEPTH", PAIR, "5"));
            assertEquals(List.of(List.of("19.5", "3", 2L)), depth.get("bids"));
            assertEquals(List.of(List.of("21", "3", 1L)), depth.get("asks"));
            assertEquals(3L, depth.get("seq"));

            final Map<Object, Object> info = record(protocol, call(connection, "PAIR.INFO", PAIR));
            assertEquals("0.001", info.get("tick"));
            assertEquals("0.0005", info.get("taker_fee"));
            assertEquals(List.of(PAIR), call(connection, "PAIRS"));
            assertEquals(3L, call(connection, "ORDER.CANCELALL", PAIR, "ACCOUNT", "a"));
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void errorsComeBackAsErrors(final ProtocolVersion protocol)
    {
        try (StatefulRedisConnection<String, String> connection = connect(protocol))
        {
            assertEquals("NOPAIR pair not served by this node", errorOf(connection, "ORDER.GET", "X-Y", "1"));
            assertEquals("NOORDER no such open order", errorOf(connection, "ORDER.CANCEL", PAIR, "1"));
            assertTrue(errorOf(connection, "ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "a", "QTY", "0.001")
                .startsWith("INVALID QTY: "));
            assertEquals("ERR syntax error", errorOf(connection, "ORDER.LIST", PAIR, "X", "a"));
            assertEquals("PONG", call(connection, "PING"));
        }
    }

    @Test
    void wireFormatOfRecordsAndNils()
    {
        try (RawRespConnection raw = new RawRespConnection(TradingNode.HOST, node.port()))
        {
            assertEquals("*-1\r\n", raw.call("ORDER.GET", PAIR, "7"));
            final String resp2 = raw.call("ORDER.PLACE", PAIR, "BUY", "ACCOUNT", "w", "QTY", "1", "PRICE", "1.5");
            assertTrue(resp2.startsWith("*32\r\n$8\r\norder_id\r\n:1\r\n$9\r\nclient_id\r\n$-1\r\n" +
                "$7\r\naccount\r\n$1\r\nw\r\n$4\r\npair\r\n$8\r\nSOL-USDC\r\n"), resp2);
            assertTrue(resp2.contains("$5\r\nfills\r\n*0\r\n$2\r\nts\r\n:"), resp2);
            assertTrue(resp2.endsWith("$10\r\nstop_price\r\n$-1\r\n"), resp2);

            assertTrue(raw.call("HELLO", "3").startsWith("%"));
            assertEquals("_\r\n", raw.call("ORDER.GET", PAIR, "7"));
            assertEquals("_\r\n", raw.call("ORDER.GET", PAIR, "CLIENT_ID", "w", "none"));
            final String resp3 = raw.call("ORDER.GET", PAIR, "1");
            assertTrue(resp3.startsWith("%16\r\n$8\r\norder_id\r\n:1\r\n$9\r\nclient_id\r\n_\r\n"), resp3);
            assertTrue(resp3.contains("$6\r\nreason\r\n_\r\n"), resp3);
            assertTrue(resp3.endsWith("$10\r\nstop_price\r\n_\r\n"), resp3);
            assertEquals("%4\r\n$9\r\nbid_price\r\n$3\r\n1.5\r\n$7\r\nbid_qty\r\n$1\r\n1\r\n" +
                "$9\r\nask_price\r\n_\r\n$7\r\nask_qty\r\n_\r\n", raw.call("BOOK.BBO", PAIR));
            assertEquals("%3\r\n$4\r\nbids\r\n*1\r\n*3\r\n$3\r\n1.5\r\n$1\r\n1\r\n:1\r\n$4\r\nasks\r\n*0\r\n" +
                "$3\r\nseq\r\n:1\r\n", raw.call("BOOK.DEPTH", PAIR));

            assertTrue(raw.call("HELLO", "2").startsWith("*"));
            assertEquals("*8\r\n$9\r\nbid_price\r\n$3\r\n1.5\r\n$7\r\nbid_qty\r\n$1\r\n1\r\n" +
                "$9\r\nask_price\r\n$-1\r\n$7\r\nask_qty\r\n$-1\r\n", raw.call("BOOK.BBO", PAIR));
        }
    }

    private StatefulRedisConnection<String, String> connect(final ProtocolVersion protocol)
    {
        redisClient.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        return redisClient.connect();
    }

    private static Object call(final StatefulRedisConnection<String, String> connection, final String name,
        final String... args)
    {
        final CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8);
        for (final String arg : args)
        {
            commandArgs.add(arg);
        }
        return connection.sync().dispatch(new Keyword(name), new RespTreeOutput(), commandArgs);
    }

    private static String errorOf(final StatefulRedisConnection<String, String> connection, final String name,
        final String... args)
    {
        return assertThrows(RedisCommandExecutionException.class, () -> call(connection, name, args)).getMessage();
    }

    /** A record as RESP3 must send it (a map) or as RESP2 must (a flat array), as an ordered map either way. */
    @SuppressWarnings("unchecked")
    private static Map<Object, Object> record(final ProtocolVersion protocol, final Object reply)
    {
        if (protocol == ProtocolVersion.RESP3)
        {
            assertInstanceOf(Map.class, reply, "RESP3 record must be a map: " + reply);
            return (Map<Object, Object>)reply;
        }
        assertInstanceOf(List.class, reply, "RESP2 record must be a flat array: " + reply);
        final Map<Object, Object> map = new java.util.LinkedHashMap<>();
        final List<Object> flat = (List<Object>)reply;
        for (int i = 0; i < flat.size(); i += 2)
        {
            map.put(flat.get(i), flat.get(i + 1));
        }
        return map;
    }
}
