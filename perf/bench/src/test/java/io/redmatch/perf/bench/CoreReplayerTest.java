package io.redmatch.perf.bench;

import io.redmatch.perf.flow.FlowContext;
import io.redmatch.perf.flow.FlowGenerator;
import io.redmatch.perf.flow.OrderFlow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay benchmark's mapping onto our book is right, checked without any timing: replaying a generated flow
 * reproduces the generator model's fills and open orders exactly, with every operation accepted.
 */
class CoreReplayerTest
{
    private static final OrderFlow FLOW = FlowGenerator.generate(
        new FlowContext().seed(2024).opCount(10_000).accountCount(200).targetOpenOrders(300));

    @ParameterizedTest
    @EnumSource(BookChoice.class)
    void replayReproducesTheFlowsExpectedOutcome(final BookChoice bookChoice)
    {
        final CoreReplayer replayer = new CoreReplayer(FLOW, bookChoice, true);
        for (int pass = 0; pass < 2; pass++)
        {
            replayer.beginPass();
            for (int i = 0; i < FLOW.size(); i++)
            {
                replayer.apply(i);
            }
            assertEquals(0, replayer.failedOps(), FLOW.describe());
            assertEquals(FLOW.expectedOpenOrders(), replayer.openOrderCount());
            assertTrue(
                replayer.tally().matches(FLOW.expectedFills(), FLOW.expectedVolume(), FLOW.expectedFillHash()),
                "got " + replayer.tally() + " for " + FLOW.describe());
            replayer.endPass();
            assertEquals(0, replayer.book().openOrderCount(), "a drained book is empty before it is reused");
        }
    }
}
