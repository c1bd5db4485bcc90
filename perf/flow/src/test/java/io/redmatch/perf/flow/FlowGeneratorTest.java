package io.redmatch.perf.flow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowGeneratorTest
{
    private static FlowContext smallFlow(final long seed)
    {
        return new FlowContext().seed(seed).opCount(50_000).accountCount(300).targetOpenOrders(500);
    }

    @Test
    void sameSeedGivesSameFlow()
    {
        final OrderFlow first = FlowGenerator.generate(smallFlow(7));
        final OrderFlow second = FlowGenerator.generate(smallFlow(7));
        assertSameFlow(first, second);
    }

    @Test
    void differentSeedGivesDifferentFlow()
    {
        final OrderFlow first = FlowGenerator.generate(smallFlow(7));
        final OrderFlow second = FlowGenerator.generate(smallFlow(8));
        assertNotEquals(first.expectedFillHash(), second.expectedFillHash());
    }

    @Test
    void flowHasEveryOperationAndHoversAroundItsTargetBookSize()
    {
        final OrderFlow flow = FlowGenerator.generate(smallFlow(3));
        for (int op = 0; op < FlowOp.COUNT; op++)
        {
            assertTrue(flow.opCount(op) > flow.size() / 50, FlowOp.name(op) + " in " + flow.describe());
        }
        assertTrue(flow.expectedFills() > flow.size() / 20, flow.describe());
        assertTrue(flow.expectedOpenOrders() >= 400 && flow.expectedOpenOrders() <= 600, flow.describe());
    }

    @Test
    void everyOperationIsValidForItsOrder()
    {
        final OrderFlow flow = FlowGenerator.generate(smallFlow(11));
        long lastPlacedId = 0;
        for (int i = 0; i < flow.size(); i++)
        {
            final byte op = flow.op(i);
            assertTrue(flow.accountId(i) >= 1 && flow.accountId(i) <= flow.accountCount());
            if (op == FlowOp.PLACE_GTC || op == FlowOp.PLACE_IOC)
            {
                assertEquals(lastPlacedId + 1, flow.orderId(i), "order ids are assigned in placement order");
                lastPlacedId = flow.orderId(i);
                assertTrue(flow.price(i) > 0 && flow.qty(i) > 0);
            }
            else
            {
                assertTrue(flow.orderId(i) >= 1 && flow.orderId(i) <= lastPlacedId);
            }
            if (op == FlowOp.MOVE)
            {
                assertTrue(flow.price(i) > 0);
            }
            if (op == FlowOp.REDUCE)
            {
                assertTrue(flow.qty(i) > 0);
            }
        }
    }

    @Test
    void fileRoundTripKeepsEveryByte(@TempDir final Path dir) throws Exception
    {
        final OrderFlow flow = FlowGenerator.generate(smallFlow(5));
        final Path file = dir.resolve("flow.bin");
        FlowFile.write(flow, file);
        final OrderFlow read = FlowFile.read(file);
        assertSameFlow(flow, read);
        assertEquals(FlowFile.HEADER_LENGTH + (long)flow.size() * FlowFile.RECORD_LENGTH, file.toFile().length());
    }

    private static void assertSameFlow(final OrderFlow expected, final OrderFlow actual)
    {
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.seed(), actual.seed());
        assertEquals(expected.expectedFills(), actual.expectedFills());
        assertEquals(expected.expectedVolume(), actual.expectedVolume());
        assertEquals(expected.expectedFillHash(), actual.expectedFillHash());
        assertEquals(expected.expectedOpenOrders(), actual.expectedOpenOrders());
        assertEquals(expected.maxPrice(), actual.maxPrice());
        for (int i = 0; i < expected.size(); i++)
        {
            assertEquals(expected.op(i), actual.op(i));
            assertEquals(expected.side(i), actual.side(i));
            assertEquals(expected.accountId(i), actual.accountId(i));
            assertEquals(expected.orderId(i), actual.orderId(i));
            assertEquals(expected.price(i), actual.price(i));
            assertEquals(expected.qty(i), actual.qty(i));
        }
    }
}
