package io.redmatch.perf.bench;

import io.redmatch.perf.replay.ReplayLauncher;

import java.util.Set;

/**
 * Our side of the in-process matching comparison (SPEC §8): replays the shared order flow into our matching core
 * and prints the same {@code RESULT} and {@code OP} lines as {@code ExchangeCoreBench}. {@code --book reference}
 * measures the naive reference book instead, to validate the harness.
 */
public final class MatchingCoreBench
{
    private MatchingCoreBench()
    {
    }

    public static void main(final String[] args)
    {
        ReplayLauncher.launch(
            args,
            "MatchingCoreBench",
            Set.of("book"),
            "  --book fast|reference    which order book (default fast)\n",
            (flow, options) -> new CoreReplayer(flow, BookChoice.parse(options.string("book", "fast")), false));
    }
}
