package io.redmatch.engine.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input and bad behaviour over real sockets against a real node: each must cost the offender its connection at
 * most, never the node or the other clients.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileClientsTest
{
    private ServerFixture server;

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void closesConnectionsThatSendMalformedFrames() throws Exception
    {
        server = new ServerFixture();
        final String[][] cases = {
            { "*abc\r\n", "ERR Protocol error: invalid multibulk length" },
            { "*-5\r\n", "ERR Protocol error: invalid multibulk length" },
            { "*2147483648\r\n", "ERR Protocol error: invalid multibulk length" },
            { "*1\r\n$2147483648\r\n", "ERR Protocol error: invalid bulk length" },
            { "*1\r\n$-7\r\n", "ERR Protocol error: invalid bulk length" },
            { "*1\r\n$9999999999\r\nabc", "ERR Protocol error: invalid bulk length" },
            { "*1\r\n:12\r\n", "ERR Protocol error: expected '$', got ':'" },
            { "*1\r\n$4\r\nPINGxx", "ERR Protocol error: expected CRLF after bulk string" },
            { "\"unbalanced\r\n", "ERR Protocol error: unbalanced quotes in request" },
            { "*1\r\n".repeat(10_000), "ERR Protocol error: expected '$', got '*'" },
            { "x".repeat(70_000), "ERR Protocol error: too big inline request" },
        };
        for (final String[] hostile : cases)
        {
            try (RespSocket client = new RespSocket(server.port()))
            {
                assertEquals("PONG", client.call("PING"));
                client.send(hostile[0]);
                final Object reply = client.read();
                assertEquals(new RespSocket.Error(hostile[1]), reply, hostile[0].substring(0, Math.min(10, hostile[0].length())));
                assertTrue(client.closedByServer(), "still open after " + hostile[1]);
            }
        }
        assertStillServing();
        assertEquals(cases.length, server.onEventLoop(() -> server.node().stats().protocolErrors()));
    }

    @Test
    void acceptsTheLargestCommandWithinLimitsAndRefusesOneArgumentMore() throws Exception
    {
        server = new ServerFixture();
        try (RespSocket client = new RespSocket(server.port()))
        {
            final StringBuilder frame = new StringBuilder("*65536\r\n$4\r\nECHO\r\n");
            frame.append("$1\r\na\r\n".repeat(65535));
            client.send(frame.toString());
            assertEquals(new RespSocket.Error("ERR wrong number of arguments for 'echo' command"), client.read());
            final String big = "b".repeat(1024 * 1024);
            assertEquals(big, client.call("ECHO", big));
            client.send("*65537\r\n");
            assertEquals(new RespSocket.Error("ERR Protocol error: invalid multibulk length"), client.read());
            assertTrue(client.closedByServer());
        }
        assertStillServing();
    }

    @Test
    void refusesClientsBeyondTheMaximum() throws Exception
    {
        server = new ServerFixture((context) -> context.maxClients(2));
        try (RespSocket first = new RespSocket(server.port());
            RespSocket second = new RespSocket(server.port());
            RespSocket third = new RespSocket(server.port()))
        {
            assertEquals("PONG", first.call("PING"));
            assertEquals("PONG", second.call("PING"));
            assertEquals(new RespSocket.Error("ERR max number of clients reached"), third.read());
            assertTrue(third.closedByServer());
        }
        // the closes above reach the server asynchronously: only then is there room for a new client
        awaitEventLoop(() -> server.node().connectionCount() == 0);
        assertStillServing();
        assertEquals(1L, (long)server.onEventLoop(() -> server.node().stats().connectionsRejected()));
    }

    @Test
    void keepsServingAfterUnknownCommandsAndWrongArity() throws Exception
    {
        server = new ServerFixture();
        try (RespSocket client = new RespSocket(server.port()))
        {
            assertEquals(new RespSocket.Error("ERR unknown command 'NOPE', with args beginning with: 'x' "),
                client.call("NOPE", "x"));
            assertEquals(new RespSocket.Error("ERR unknown command 'A\r\nB', with args beginning with: ".replace(
                "\r\n", "  ")), client.call("A\r\nB"));
            assertEquals(new RespSocket.Error("ERR wrong number of arguments for 'echo' command"),
                client.call("ECHO", "a", "b"));
            assertEquals(new RespSocket.Error("ERR wrong number of arguments for 'client|setname' command"),
                client.call("CLIENT", "SETNAME"));
            assertEquals(new RespSocket.Error("ERR DB index is out of range"), client.call("SELECT", "1"));
            assertEquals("OK", client.call("SELECT", "0"));
            assertInstanceOf(RespSocket.Error.class, client.call("AUTH", "secret"));
            assertInstanceOf(RespSocket.Error.class, client.call("FAILOVER"));
            assertInstanceOf(RespSocket.Error.class, client.call("PUBLISH", "trades:X", "fake"));
            assertEquals("PONG", client.call("PING"));
        }
    }

    @Test
    void forgetsTwoThousandConnectionsOpenedAndDropped() throws Exception
    {
        server = new ServerFixture();
        final List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 2000; i++)
        {
            final Socket socket = new Socket("127.0.0.1", server.port());
            final OutputStream out = socket.getOutputStream();
            // some say nothing, some leave a frame half sent, some subscribe or block
            switch (i % 4)
            {
                case 1 -> out.write("*3\r\n$3\r\nSET\r\n$1\r\n".getBytes(StandardCharsets.US_ASCII));
                case 2 -> out.write(RespSocket.encode("SUBSCRIBE", "trades:" + i).getBytes(StandardCharsets.US_ASCII));
                case 3 -> out.write(RespSocket.encode("TEST.BLOCK", "k" + i, "0").getBytes(StandardCharsets.US_ASCII));
                default -> { }
            }
            sockets.add(socket);
        }
        awaitEventLoop(() -> server.node().connectionCount() == 2000);
        for (final Socket socket : sockets)
        {
            socket.close();
        }
        awaitEventLoop(() -> server.node().connectionCount() == 0);
        assertEquals(0, (int)server.onEventLoop(() -> server.node().pubSub().channelCount()));
        assertEquals(0, (int)server.onEventLoop(() -> server.node().blockingKeys().blockedCount()));
        assertStillServing();
    }

    @Test
    void keepsServingOthersWhileAClientNeverReadsItsReplies() throws Exception
    {
        server = new ServerFixture();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong sent = new AtomicLong();
        final Socket greedy = new Socket();
        greedy.setReceiveBufferSize(64 * 1024);
        greedy.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
        final Thread flooder = new Thread(() ->
        {
            final byte[] pings = "PING\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = greedy.getOutputStream())
            {
                while (!stop.get())
                {
                    out.write(pings);
                    sent.addAndGet(1000);
                }
            }
            catch (final IOException ex)
            {
                // closed by the test
            }
        });
        flooder.setDaemon(true);
        flooder.start();
        try (RespSocket polite = new RespSocket(server.port()))
        {
            // the flooder soon fills the socket buffers and is no longer read; the polite client must not notice
            Thread.sleep(500);
            for (int i = 0; i < 200; i++)
            {
                assertEquals("v" + i, polite.call("ECHO", "v" + i));
            }
            // once the kernel's socket buffers are full, the node stops reading the flooder altogether
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long before;
            do
            {
                assertTrue(System.nanoTime() < deadline, "the flooder is still being read: no back-pressure");
                before = sent.get();
                Thread.sleep(500);
            }
            while (before != sent.get());
            assertEquals("still", polite.call("ECHO", "still"));
            final long pending = server.onEventLoop(() ->
            {
                long max = 0;
                for (final Connection connection : server.node().connections())
                {
                    max = Math.max(max, connection.pendingOutputBytes());
                }
                return max;
            });
            assertTrue(pending < 8 * 1024 * 1024, "pending output " + pending);
        }
        finally
        {
            stop.set(true);
            greedy.close();
            flooder.join(5_000);
        }
        assertStillServing();
    }

    @Test
    void disconnectsASubscriberThatNeverReads() throws Exception
    {
        server = new ServerFixture((context) -> context.maxPendingOutput(4 * 1024 * 1024));
        try (RespSocket subscriber = new RespSocket(server.port());
            RespSocket publisher = new RespSocket(server.port()))
        {
            subscriber.socket().setReceiveBufferSize(64 * 1024);
            assertInstanceOf(List.class, subscriber.call("SUBSCRIBE", "trades:BTC-USDT"));
            final String payload = "p".repeat(16 * 1024);
            int published = 0;
            while (published < 20_000 &&
                (published % 50 != 0 || server.onEventLoop(() -> server.node().stats().outputLimitDisconnections()) == 0))
            {
                publisher.call("TEST.PUBLISH", "trades:BTC-USDT", payload);
                published++;
            }
            assertEquals(1, (long)server.onEventLoop(() -> server.node().stats().outputLimitDisconnections()));
            assertEquals(0L, publisher.call("TEST.PUBLISH", "trades:BTC-USDT", payload));
            assertEquals("PONG", publisher.call("PING"));
        }
    }

    private void assertStillServing() throws IOException
    {
        try (RespSocket client = new RespSocket(server.port()))
        {
            assertEquals("PONG", client.call("PING"));
        }
    }

    private void awaitEventLoop(final java.util.function.BooleanSupplier condition) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!server.onEventLoop(condition::getAsBoolean))
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting");
            Thread.sleep(20);
        }
    }
}
