package io.redmatch.engine.stream;

import io.redmatch.engine.node.RawRespConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is the node's own: {@code -NOPAIR}, keys that are not fill streams, the ID rules, the read limit. */
@Timeout(60)
class StreamCommandsEdgeCaseTest
{
    private static final String KEY = "fills:BTC-USD";
    private static final String NOPAIR = "-NOPAIR pair not served by this node\r\n";
    private static final String INVALID_ID = "-ERR Invalid stream ID specified as stream command argument\r\n";

    private StreamNodeFixture fixture;
    private FillStream stream;
    private RawRespConnection client;

    @BeforeEach
    void startNode() throws IOException
    {
        fixture = new StreamNodeFixture(3);
        stream = fixture.addPair("BTC-USD");
        fixture.fills(stream, 10);
        client = new RawRespConnection("127.0.0.1", fixture.port());
    }

    @AfterEach
    void stopNode() throws IOException
    {
        client.close();
        fixture.close();
    }

    private String call(final String command) throws IOException
    {
        return client.call(command.split(" "));
    }

    private String ids(final String command) throws IOException
    {
        final String reply = call(command);
        final StringBuilder ids = new StringBuilder();
        for (final String line : reply.split("\r\n"))
        {
            if (line.matches("\\d+-0"))
            {
                ids.append(ids.length() == 0 ? "" : ",").append(line);
            }
        }
        return ids.toString();
    }

    @Test
    void everyCommandAnswersNoPairForAnUnservedPair() throws IOException
    {
        final String unserved = "fills:NOPE-X";
        for (final String command : new String[]{
            "XRANGE " + unserved + " - +",
            "XREVRANGE " + unserved + " + - COUNT 0",
            "XLEN " + unserved,
            "XREAD STREAMS " + KEY + " " + unserved + " 0 0",
            "XREAD BLOCK 0 STREAMS " + unserved + " $",
            "XREADGROUP GROUP g c STREAMS " + unserved + " >",
            "XACK " + unserved + " g 1",
            "XPENDING " + unserved + " g",
            "XPENDING " + unserved + " g - + 10",
            "XGROUP CREATE " + unserved + " g $ MKSTREAM",
            "XGROUP SETID " + unserved + " g 0",
            "XGROUP DESTROY " + unserved + " g",
            "XGROUP CREATECONSUMER " + unserved + " g c",
            "XGROUP DELCONSUMER " + unserved + " g c",
            "XINFO STREAM " + unserved,
            "XINFO GROUPS " + unserved,
            "XINFO CONSUMERS " + unserved + " g",
            "XLEN fills:btc-usd",
        })
        {
            assertEquals(NOPAIR, call(command), command);
        }
    }

    @Test
    void syntaxErrorsComeBeforeNoPair() throws IOException
    {
        assertEquals(INVALID_ID, call("XRANGE fills:NOPE-X x +"));
        assertEquals("-ERR syntax error\r\n", call("XRANGE fills:NOPE-X - + FOO"));
        assertEquals(INVALID_ID, call("XREAD STREAMS fills:NOPE-X x"));
        assertEquals(INVALID_ID, call("XACK fills:NOPE-X g x"));
        assertEquals(INVALID_ID, call("XGROUP CREATE fills:NOPE-X g x"));
    }

    @Test
    void otherKeysAreKeysThatDoNotExist() throws IOException
    {
        assertEquals("*0\r\n", call("XRANGE orders - +"));
        assertEquals(":0\r\n", call("XLEN orders"));
        assertEquals("*-1\r\n", call("XREAD STREAMS orders 0"));
        assertEquals("*-1\r\n", call("XREAD BLOCK 20 STREAMS orders $"));
        assertEquals(":0\r\n", call("XACK orders g 1"));
        assertEquals("-ERR no such key\r\n", call("XINFO STREAM orders"));
        assertEquals("-NOGROUP No such key 'orders' or consumer group 'g' in XREADGROUP with GROUP option\r\n",
            call("XREADGROUP GROUP g c STREAMS orders >"));
        assertEquals("-ERR only the fills:<PAIR> streams of the pairs served exist on this node; MKSTREAM cannot " +
            "create another\r\n", call("XGROUP CREATE orders g $ MKSTREAM"));
    }

    @Test
    void plainNumbersAreIdsWithSequenceZero() throws IOException
    {
        assertEquals("1-0,2-0", ids("XRANGE " + KEY + " - (3"));
        assertEquals("3-0,4-0", ids("XRANGE " + KEY + " (2 4"));
        assertEquals("4-0,3-0", ids("XREVRANGE " + KEY + " (5 (2"));
        assertEquals("3-0", ids("XRANGE " + KEY + " 2-1 (4-0"));
        assertEquals("3-0,4-0", ids("XRANGE " + KEY + " 2-1 (4-1"));
        assertEquals("", ids("XRANGE " + KEY + " (10 +"));
        assertEquals("*0\r\n", call("XRANGE " + KEY + " (10 +"));
        assertEquals("*0\r\n", call("XRANGE " + KEY + " (9223372036854775807 +"));
        assertEquals(":0\r\n", call("XACK " + KEY + " g 5-1"));
    }

    @Test
    void readsReturnAtMostTheReadLimitPerStream() throws IOException
    {
        assertEquals("1-0,2-0,3-0", ids("XREAD STREAMS " + KEY + " 0"));
        assertEquals("4-0,5-0,6-0", ids("XREAD COUNT 100 STREAMS " + KEY + " 3"));
        assertEquals("4-0,5-0", ids("XREAD COUNT 2 STREAMS " + KEY + " 3"));
        assertEquals(10, ids("XRANGE " + KEY + " - +").split(",").length);
        call("XGROUP CREATE " + KEY + " g 0");
        assertEquals("1-0,2-0,3-0", ids("XREADGROUP GROUP g c STREAMS " + KEY + " >"));
        assertEquals("2-0,3-0", ids("XREADGROUP GROUP g c COUNT 5 STREAMS " + KEY + " 1"));
        assertEquals("4-0,5-0,6-0", ids("XREADGROUP GROUP g c COUNT 0 STREAMS " + KEY + " >"));
    }

    @Test
    void helpAndInfo() throws IOException
    {
        assertTrue(call("XGROUP HELP").startsWith("*13\r\n+XGROUP <subcommand>"));
        assertTrue(call("XINFO HELP").startsWith("*9\r\n+XINFO <subcommand>"));
        final String info = call("INFO streams");
        assertTrue(info.contains("fill_streams:1"), info);
        assertTrue(info.contains("fills_BTC-USD:length=10,first_seq=1,last_seq=10,committed_seq=10,groups=0"), info);
    }

    @Test
    void emptyStreamHasNoFirstOrLastEntry() throws IOException
    {
        fixture.addPair("ETH-USD");
        final String info = call("XINFO STREAM fills:ETH-USD");
        assertTrue(info.startsWith("*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n"), info);
        assertTrue(info.endsWith("$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n"), info);
        call("HELLO 3");
        assertTrue(call("XINFO STREAM fills:ETH-USD").endsWith("first-entry\r\n_\r\n$10\r\nlast-entry\r\n_\r\n"));
    }
}
