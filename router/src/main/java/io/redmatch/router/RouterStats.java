package io.redmatch.router;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters for {@code INFO}, updated by every event loop. */
final class RouterStats
{
    final AtomicInteger connectedClients = new AtomicInteger();
    final LongAdder connectionsReceived = new LongAdder();
    final LongAdder connectionsRejected = new LongAdder();
    final LongAdder commandsProcessed = new LongAdder();
    final LongAdder commandsForwarded = new LongAdder();
    final LongAdder tryAgainReplies = new LongAdder();
    final LongAdder upstreamTimeouts = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder outputLimitDisconnections = new LongAdder();
}
