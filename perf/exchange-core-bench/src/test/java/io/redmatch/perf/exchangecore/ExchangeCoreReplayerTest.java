package io.redmatch.perf.exchangecore;

import io.redmatch.perf.flow.FlowContext;
import io.redmatch.perf.flow.FlowGenerator;
import io.redmatch.perf.flow.OrderFlow;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay benchmark's mapping onto exchange-core's order book is right, checked without any timing: replaying a
 * generated flow reproduces the generator model's fills and open orders exactly, with every operation accepted.
 */
class ExchangeCoreReplayerTest
{
    @Test
    void replayReproducesTheFlowsExpectedOutcome()
    {
        final OrderFlow flow = FlowGenerator.generate(
            new FlowContext().seed(2024).opCount(10_000).accountCount(200).targetOpenOrders(300));
        final ExchangeCoreReplayer replayer = new ExchangeCoreReplayer(flow);
        for (int pass = 0; pass < 2; pass++)
        {
            replayer.beginPass();
            for (int i = 0; i < flow.size(); i++)
            {
                replayer.apply(i);
            }
            assertEquals(0, replayer.failedOps(), flow.describe());
            assertEquals(flow.expectedOpenOrders(), replayer.openOrderCount());
            assertTrue(
                replayer.tally().matches(flow.expectedFills(), flow.expectedVolume(), flow.expectedFillHash()),
                "got " + replayer.tally() + " for " + flow.describe());
            replayer.endPass();
        }
    }
}
