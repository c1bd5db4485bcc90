package io.redmatch.perf.exchangecore;

import io.redmatch.perf.replay.ReplayLauncher;

import java.util.Set;

/**
 * The reference side of the in-process matching comparison (SPEC §8): replays the shared order flow into
 * exchange-core 0.5.3's order book and prints the same {@code RESULT} and {@code OP} lines as our
 * {@code MatchingCoreBench}. Run it in its own JVM with this module's classpath only.
 */
public final class ExchangeCoreBench
{
    private ExchangeCoreBench()
    {
    }

    public static void main(final String[] args)
    {
        ReplayLauncher.launch(
            args, "ExchangeCoreBench", Set.of(), "", (flow, options) -> new ExchangeCoreReplayer(flow));
    }
}
