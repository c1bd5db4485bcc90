package io.redmatch.perf.flow;

/**
 * SplitMix64: a tiny, fully specified generator, so a seed gives the same flow in every JVM, version and platform.
 * Only the generator uses it; the replay never draws random numbers.
 */
final class FlowRandom
{
    private long state;

    FlowRandom(final long seed)
    {
        this.state = seed;
    }

    long nextLong()
    {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return uniform in {@code [0, bound)}, for {@code bound > 0}. */
    int nextInt(final int bound)
    {
        return (int)(((nextLong() >>> 33) * bound) >>> 31);
    }

    /** @return uniform in {@code [0, 1)}. */
    double nextDouble()
    {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    boolean nextBoolean()
    {
        return nextLong() < 0;
    }

    /** @return an exponentially distributed whole number with the given mean; StrictMath keeps it reproducible. */
    int nextExponential(final double mean)
    {
        return (int)(-StrictMath.log(1.0 - nextDouble()) * mean);
    }
}
