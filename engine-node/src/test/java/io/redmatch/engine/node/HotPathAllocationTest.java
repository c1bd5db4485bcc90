package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.redmatch.engine.resp.RespParser;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parsing, dispatching and replying allocate nothing per command in steady state (STYLE 5): checked with the
 * thread's allocation counter, which is coarse but enough to catch a per-command object.
 */
class HotPathAllocationTest
{
    @Test
    void parsesDispatchesAndRepliesWithoutAllocating()
    {
        final EngineNode node = new EngineNode(new EngineNodeContext().port(0).addCommandGroup(new TestCommands()));
        final RespWriter writer = new RespWriter(PooledByteBufAllocator.DEFAULT, 4 * 1024 * 1024);
        final Connection connection = new Connection(1, node, writer, null, "test", "test", 0);
        final RespParser parser = new RespParser();
        final RespRequest request = new RespRequest();
        // no WRITE command here: Sequencer.systemMicros() makes an Instant per write, which only escape analysis
        // removes, and only in some compilations
        final String commands = "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n" +
            "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n";
        final ByteBuf input = Unpooled.directBuffer();
        for (int i = 0; i < 5_000; i++)
        {
            input.writeCharSequence(commands, StandardCharsets.US_ASCII);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++)
        {
            input.readerIndex(0);
            final long before = threads.getCurrentThreadAllocatedBytes();
            int count = 0;
            while (parser.parse(input, request) == RespParser.Result.COMMAND)
            {
                node.dispatcher().dispatch(connection, request, writer);
                count++;
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            writer.release();
            assertEquals(20_000, count);
            fewest = Math.min(fewest, allocated);
        }
        input.release();
        assertTrue(fewest < 64 * 1024, "allocated " + fewest + " bytes for 20k commands");
    }
}
