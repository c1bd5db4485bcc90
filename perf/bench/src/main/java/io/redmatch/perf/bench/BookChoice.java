package io.redmatch.perf.bench;

import io.redmatch.engine.core.BookListener;
import io.redmatch.engine.core.FastOrderBook;
import io.redmatch.engine.core.OrderBook;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.ReferenceOrderBook;

import java.util.Locale;

/** Which of our order book implementations a benchmark measures. */
public enum BookChoice
{
    /** The production book. */
    FAST
    {
        public OrderBook create(final PairSpec spec, final BookListener listener)
        {
            return new FastOrderBook(spec, listener);
        }
    },

    /** The naive twin the production book is tested against; measured only to validate the harness. */
    REFERENCE
    {
        public OrderBook create(final PairSpec spec, final BookListener listener)
        {
            return new ReferenceOrderBook(spec, listener);
        }
    };

    /** @return a new, empty book of this implementation. */
    public abstract OrderBook create(PairSpec spec, BookListener listener);

    /** Parses {@code fast} or {@code reference}, in any case. */
    public static BookChoice parse(final String name)
    {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
