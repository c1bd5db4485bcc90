package io.redmatch.perf.replay;

import io.redmatch.perf.flow.FillTally;
import io.redmatch.perf.flow.OrderFlow;

/**
 * Applies the operations of one {@link OrderFlow} to one engine's order book. {@link ReplayHarness} drives it the
 * same way for every engine; each JVM loads one implementation only, so the call per operation is monomorphic.
 */
public interface FlowReplayer
{
    /** @return the engine's name, as printed in results ({@code redmatch}, {@code exchange-core}). */
    String engine();

    /** @return the order book implementation measured. */
    String implementation();

    /** Starts a pass over the flow with an empty book and an empty tally. Not measured. */
    void beginPass();

    /** Applies operation {@code index} of the flow. This is what is measured. */
    void apply(int index);

    /** Ends a pass, returning whatever the book still holds to the replayer's pools. Not measured. */
    void endPass();

    /** @return the fills reported by the book during this pass. */
    FillTally tally();

    /** @return orders open in the book now. */
    int openOrderCount();

    /** @return operations of this pass that the book refused or could not find the order of. */
    long failedOps();
}
