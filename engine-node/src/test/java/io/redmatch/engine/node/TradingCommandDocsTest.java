package io.redmatch.engine.node;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code COMMAND INFO} and {@code COMMAND DOCS} say about the trading commands, which {@code redis-cli} turns into
 * hints and a router or cluster-aware client reads for the key (the pair) position.
 */
class TradingCommandDocsTest
{
    private static final List<String> PAIR_COMMANDS = List.of(
        "ORDER.PLACE", "ORDER.CANCEL", "ORDER.AMEND", "ORDER.GET", "ORDER.LIST", "ORDER.CANCELALL", "BOOK.DEPTH",
        "BOOK.BBO", "TICKER", "PAIR.INFO", "PAIR.ADD", "PAIR.HALT", "PAIR.RESUME");

    private static TradingNode node;
    private static TradingClient client;

    @BeforeAll
    static void startNode()
    {
        node = TradingNode.start();
        client = node.client();
    }

    @AfterAll
    static void stopNode()
    {
        client.close();
        node.close();
    }

    @Test
    void thePairIsTheKeyOfEveryPairCommand()
    {
        for (final String name : PAIR_COMMANDS)
        {
            final List<?> info = (List<?>)((List<?>)client.call("COMMAND", "INFO", name)).get(0);
            assertEquals(name.toLowerCase(), info.get(0));
            assertEquals(List.of(1L, 1L, 1L), info.subList(3, 6), name + " key positions");
            assertEquals(List.of("@trading"), info.get(6), name + " ACL categories");
        }
        final List<?> pairs = (List<?>)((List<?>)client.call("COMMAND", "INFO", "PAIRS")).get(0);
        assertEquals(List.of(0L, 0L, 0L), pairs.subList(3, 6));
    }

    @Test
    void docsDescribeTheArgumentsAfterTheName()
    {
        for (final String name : PAIR_COMMANDS)
        {
            final Map<String, Object> docs = docs(name);
            assertEquals("trading", docs.get("group"), name);
            final List<?> arguments = (List<?>)docs.get("arguments");
            final Map<String, Object> first = TradingClient.record(arguments.get(0));
            assertEquals("pair", first.get("name"), name + " starts with the pair");
            assertEquals("string", first.get("type"), name);
            assertFalse(first.containsKey("token"), name + " documents its own name as an argument");
        }

        final List<?> place = (List<?>)docs("ORDER.PLACE").get("arguments");
        final Map<String, Object> side = TradingClient.record(place.get(1));
        assertEquals("oneof", side.get("type"));
        assertEquals(List.of("BUY", "SELL"), tokens((List<?>)side.get("arguments")));
        final Map<String, Object> account = TradingClient.record(place.get(2));
        assertEquals("ACCOUNT", account.get("token"));
        final Map<String, Object> quantity = TradingClient.record(place.get(3));
        assertEquals("oneof", quantity.get("type"));
        assertEquals(List.of("QTY", "QUOTE_QTY"), tokens((List<?>)quantity.get("arguments")));
        for (final Object optional : place.subList(4, place.size()))
        {
            assertEquals(List.of("optional"), TradingClient.record(optional).get("flags"));
        }
        assertEquals(10, place.size());

        final Map<String, Object> debug = docs("DEBUG");
        assertTrue(((List<?>)debug.get("subcommands")).contains("debug|digest"));
        assertFalse(debug.containsKey("arguments"));
    }

    private static Map<String, Object> docs(final String name)
    {
        final List<?> reply = (List<?>)client.call("COMMAND", "DOCS", name);
        assertEquals(name.toLowerCase(), reply.get(0));
        return TradingClient.record(reply.get(1));
    }

    private static List<Object> tokens(final List<?> arguments)
    {
        return arguments.stream().map(argument -> TradingClient.record(argument).get("token")).toList();
    }
}
