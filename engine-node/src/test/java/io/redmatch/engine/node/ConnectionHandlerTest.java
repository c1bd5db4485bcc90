package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection handler byte by byte, on Netty's {@link EmbeddedChannel}: the real parser, dispatcher and commands
 * of a node that is built but not listening.
 */
class ConnectionHandlerTest
{
    private final EngineNode node = new EngineNode(new EngineNodeContext().port(0).addCommandGroup(new TestCommands()));
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close()
    {
        for (final EmbeddedChannel channel : channels)
        {
            channel.finishAndReleaseAll();
        }
        assertEquals(0, node.connectionCount());
    }

    @Test
    void answersACommandFedOneByteAtATime()
    {
        final EmbeddedChannel channel = connect();
        final byte[] bytes = "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++)
        {
            assertEquals("", output(channel), "replied early, after byte " + i);
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{ bytes[i] }));
        }
        assertEquals("$5\r\nhello\r\n", output(channel));
    }

    @Test
    void writesAllRepliesOfAReadInOneBufferFlushedOnce()
    {
        final EmbeddedChannel channel = connect();
        channel.writeInbound(ascii("PING\r\nPING hi\nECHO \"a b\"\r\n*1\r\n$4\r\nping\r\n"));
        final ByteBuf first = channel.readOutbound();
        assertEquals("+PONG\r\n$2\r\nhi\r\n$3\r\na b\r\n+PONG\r\n", first.toString(StandardCharsets.US_ASCII));
        first.release();
        assertNull(channel.readOutbound());
    }

    @Test
    void answersUnknownCommandsAndWrongArityAsRedisAndCarriesOn()
    {
        final EmbeddedChannel channel = connect();
        channel.writeInbound(ascii("FOO bar baz\r\nECHO\r\nCLIENT NOPE\r\nCLIENT\r\nPING a b\r\nPING\r\n"));
        assertEquals("-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n" +
            "-ERR wrong number of arguments for 'echo' command\r\n" +
            "-ERR unknown subcommand 'NOPE'. Try CLIENT HELP.\r\n" +
            "-ERR wrong number of arguments for 'client' command\r\n" +
            "-ERR wrong number of arguments for 'ping' command\r\n" +
            "+PONG\r\n", output(channel));
        assertTrue(channel.isOpen());
    }

    @Test
    void closesAfterReplyingToAProtocolError()
    {
        final EmbeddedChannel channel = connect();
        channel.writeInbound(ascii("PING\r\n*1\r\n$x\r\nPING\r\n"));
        channel.runPendingTasks();
        assertEquals("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n", output(channel));
        assertFalse(channel.isOpen());
    }

    @Test
    void speaksResp3AfterHello()
    {
        final EmbeddedChannel channel = connect();
        channel.writeInbound(ascii("HELLO 3\r\n"));
        final String hello = output(channel);
        assertTrue(hello.startsWith("%7\r\n$6\r\nserver\r\n$8\r\nredmatch\r\n"), hello);
        assertTrue(hello.contains("$5\r\nproto\r\n:3\r\n"), hello);
        channel.writeInbound(ascii("CLIENT GETNAME\r\nHELLO 4\r\nHELLO x\r\nHELLO 2 SETNAME me\r\nCLIENT GETNAME\r\n"));
        final String rest = output(channel);
        assertTrue(rest.startsWith("_\r\n-NOPROTO unsupported protocol version\r\n" +
            "-ERR Protocol version is not an integer or out of range\r\n*14\r\n"), rest);
        assertTrue(rest.endsWith("$2\r\nme\r\n"), rest);
    }

    @Test
    void blocksThePipelineUntilSignalled()
    {
        final EmbeddedChannel blocked = connect();
        final EmbeddedChannel other = connect();
        blocked.writeInbound(ascii("TEST.BLOCK fills:X 0\r\nPING\r\n"));
        blocked.runPendingTasks();
        assertEquals("", output(blocked));
        assertEquals(1, node.blockingKeys().blockedCount());

        other.writeInbound(ascii("TEST.SIGNAL fills:Y\r\nTEST.SIGNAL fills:X\r\n"));
        assertEquals("+OK\r\n+OK\r\n", output(other));
        blocked.runPendingTasks();
        assertEquals("+WOKE fills:X\r\n+PONG\r\n", output(blocked));
        assertEquals(0, node.blockingKeys().blockedCount());
    }

    @Test
    void repliesOnTimeoutThenResumes() throws InterruptedException
    {
        final EmbeddedChannel blocked = connect();
        blocked.writeInbound(ascii("TEST.BLOCK k 30\r\nECHO after\r\n"));
        assertEquals("", output(blocked));
        Thread.sleep(80);
        blocked.runScheduledPendingTasks();
        blocked.runPendingTasks();
        assertEquals("+TIMEDOUT\r\n$5\r\nafter\r\n", output(blocked));
    }

    @Test
    void forgetsABlockedConnectionThatCloses()
    {
        final EmbeddedChannel blocked = connect();
        blocked.writeInbound(ascii("TEST.BLOCK k 0\r\n"));
        assertEquals(1, node.blockingKeys().blockedCount());
        blocked.close();
        assertEquals(0, node.blockingKeys().blockedCount());
        assertFalse(node.blockingKeys().hasWaiters("k"));
    }

    @Test
    void deliversPublishedMessagesAndRestrictsResp2SubscribedMode()
    {
        final EmbeddedChannel subscriber = connect();
        subscriber.writeInbound(ascii("SUBSCRIBE trades:BTC-USDT\r\nPSUBSCRIBE depth:*\r\nECHO x\r\nPING\r\n"));
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$15\r\ntrades:BTC-USDT\r\n:1\r\n" +
            "*3\r\n$10\r\npsubscribe\r\n$7\r\ndepth:*\r\n:2\r\n" +
            "-ERR Can't execute 'echo': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed " +
            "in this context\r\n" +
            "*2\r\n$4\r\npong\r\n$0\r\n\r\n", output(subscriber));

        assertTrue(node.pubSub().hasSubscribers("trades:BTC-USDT"));
        assertTrue(node.pubSub().hasSubscribers("depth:ETH-USDT"));
        assertFalse(node.pubSub().hasSubscribers("bbo:BTC-USDT"));
        assertEquals(1, node.pubSub().publish("trades:BTC-USDT", "{\"seq\":1}"));
        assertEquals(1, node.pubSub().publish("depth:ETH-USDT", "{}".getBytes(StandardCharsets.US_ASCII)));
        subscriber.runPendingTasks();
        assertEquals("*3\r\n$7\r\nmessage\r\n$15\r\ntrades:BTC-USDT\r\n$9\r\n{\"seq\":1}\r\n" +
            "*4\r\n$8\r\npmessage\r\n$7\r\ndepth:*\r\n$14\r\ndepth:ETH-USDT\r\n$2\r\n{}\r\n", output(subscriber));

        subscriber.writeInbound(ascii("UNSUBSCRIBE\r\nPUNSUBSCRIBE\r\nUNSUBSCRIBE\r\nECHO x\r\n"));
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$15\r\ntrades:BTC-USDT\r\n:1\r\n" +
            "*3\r\n$12\r\npunsubscribe\r\n$7\r\ndepth:*\r\n:0\r\n" +
            "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n" +
            "$1\r\nx\r\n", output(subscriber));
        assertFalse(node.pubSub().hasSubscribers("trades:BTC-USDT"));
    }

    @Test
    void sendsPushFramesInResp3AndAllowsOtherCommands()
    {
        final EmbeddedChannel subscriber = connect();
        subscriber.writeInbound(ascii("HELLO 3\r\n"));
        output(subscriber);
        subscriber.writeInbound(ascii("SUBSCRIBE bbo:X\r\nECHO x\r\nPING\r\n"));
        assertEquals(">3\r\n$9\r\nsubscribe\r\n$5\r\nbbo:X\r\n:1\r\n$1\r\nx\r\n+PONG\r\n", output(subscriber));
        node.pubSub().publish("bbo:X", "m");
        subscriber.runPendingTasks();
        assertEquals(">3\r\n$7\r\nmessage\r\n$5\r\nbbo:X\r\n$1\r\nm\r\n", output(subscriber));
    }

    @Test
    void dropsSubscriptionsOfAClosedConnection()
    {
        final EmbeddedChannel subscriber = connect();
        subscriber.writeInbound(ascii("SUBSCRIBE a b\r\nPSUBSCRIBE c*\r\n"));
        subscriber.close();
        assertEquals(0, node.pubSub().channelCount());
        assertEquals(0, node.pubSub().patternCount());
        assertEquals(0, node.pubSub().publish("a", "x"));
    }

    @Test
    void sequencesWriteCommandsOnly()
    {
        final EmbeddedChannel channel = connect();
        channel.writeInbound(ascii("TEST.WRITE a\r\nPING\r\nTEST.WRITE b\r\n"));
        assertEquals(":1\r\n+PONG\r\n:2\r\n", output(channel));
    }

    @Test
    void gatesRunAfterArityAndBeforeSequencing()
    {
        node.addGate((command, connection, request, out) ->
        {
            if (command.hasFlag(Command.WRITE))
            {
                out.error("READONLY You can't write against a read only replica.");
                return false;
            }
            return true;
        });
        final EmbeddedChannel channel = connect();
        channel.writeInbound(ascii("TEST.WRITE a\r\nNOPE\r\nPING\r\n"));
        assertEquals("-READONLY You can't write against a read only replica.\r\n" +
            "-ERR unknown command 'NOPE', with args beginning with: \r\n+PONG\r\n", output(channel));
        assertEquals(0, node.sequencer().logSeq());
    }

    @Test
    void replaysALoggedCommandWithItsStampsWithoutSequencingItAgain()
    {
        final ByteBuf frame = ascii("xx*2\r\n$10\r\nTEST.WRITE\r\n$1\r\na\r\nyy");
        assertTrue(node.replay(frame, 2, frame.readableBytes() - 4, 41, 1_000_000));
        assertEquals(41, node.sequencer().logSeq());
        assertEquals(1_000_000, node.sequencer().engineTime());
        assertEquals(0, frame.readerIndex());
        assertFalse(node.replay(ascii("*1\r\n$4\r\nNOPE\r\n"), 0, 14, 42, 1_000_001));
        final EmbeddedChannel channel = connect();
        channel.writeInbound(ascii("TEST.WRITE b\r\n"));
        assertEquals(":43\r\n", output(channel));
    }

    @Test
    void closesAClientWhoseUnexecutedInputPassesTheLimit()
    {
        final EngineNode small = new EngineNode(new EngineNodeContext().port(0)
            .maxBulkLength(1024).maxInlineLength(1024).maxQueryBuffer(4096));
        final EmbeddedChannel channel = new EmbeddedChannel(new ConnectionHandler(small));
        final StringBuilder partial = new StringBuilder("*100\r\n");
        for (int i = 0; i < 10; i++)
        {
            partial.append("$1000\r\n").append("x".repeat(1000)).append("\r\n");
        }
        channel.writeInbound(ascii(partial.toString()));
        channel.runPendingTasks();
        assertEquals("-ERR Protocol error: query buffer limit exceeded\r\n", output(channel));
        assertFalse(channel.isOpen());
        assertEquals(1, small.stats().queryLimitDisconnections());
        channel.finishAndReleaseAll();
    }

    @Test
    void quitRepliesThenCloses()
    {
        final EmbeddedChannel channel = connect();
        channel.writeInbound(ascii("QUIT\r\nPING\r\n"));
        channel.runPendingTasks();
        assertEquals("+OK\r\n", output(channel));
        assertFalse(channel.isOpen());
    }

    private EmbeddedChannel connect()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new ConnectionHandler(node));
        channels.add(channel);
        return channel;
    }

    private static String output(final EmbeddedChannel channel)
    {
        final StringBuilder text = new StringBuilder();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null)
        {
            text.append(buffer.toString(StandardCharsets.ISO_8859_1));
            buffer.release();
        }
        return text.toString();
    }

    private static ByteBuf ascii(final String text)
    {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }
}
