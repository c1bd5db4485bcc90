package io.redmatch.clearing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Alarms raised by clearing: a gap in a pair's fills, a fill whose content differs from the one applied at its
 * sequence, a fill entry that cannot be applied, a pair the engine cannot describe, an engine behind the ledger, a
 * ledger that cannot be written. Each is logged at ERROR, counted in {@code INFO}, listed by {@code LEDGER.ALARMS},
 * and makes {@code LEDGER.CHECK} (and so {@code ./redmatch clearing check}) fail. They last until the service restarts.
 */
public final class Alarms
{
    private static final Logger LOG = LoggerFactory.getLogger(Alarms.class);
    private static final int KEPT = 100;

    /** What went wrong. */
    public enum Kind
    {
        /** A fill's sequence is beyond the cursor + 1. */
        GAP,
        /** A fill delivered again has another content than the one applied at its sequence. */
        CONTENT_MISMATCH,
        /** A fill entry is malformed, misses a field, or is inconsistent. */
        BAD_FILL,
        /** The engine serves a pair it cannot describe (assets). */
        UNKNOWN_PAIR,
        /** The engine's stream ends below the ledger's cursor: fills were lost on the engine side. */
        ENGINE_BEHIND,
        /** The ledger cannot be written: clearing stopped. */
        LEDGER_FAILURE
    }

    /**
     * One alarm.
     *
     * @param time    when.
     * @param kind    what.
     * @param pair    the pair, or {@code *}.
     * @param message the details.
     */
    public record Alarm(Instant time, Kind kind, String pair, String message)
    {
        @Override
        public String toString()
        {
            return time + " " + kind + " " + pair + ": " + message;
        }
    }

    private final List<Alarm> alarms = new ArrayList<>();
    private long count;

    /**
     * Raises an alarm.
     *
     * @param kind    what.
     * @param pair    the pair, or {@code *}.
     * @param message the details.
     */
    public synchronized void raise(final Kind kind, final String pair, final String message)
    {
        final Alarm alarm = new Alarm(Instant.now(), kind, pair, message);
        LOG.error("ALARM {} {}: {}", kind, pair, message);
        if (alarms.size() == KEPT)
        {
            alarms.remove(0);
        }
        alarms.add(alarm);
        count++;
    }

    /** @return how many alarms were raised. */
    public synchronized long count()
    {
        return count;
    }

    /** @return the most recent alarms (up to 100), oldest first. */
    public synchronized List<Alarm> recent()
    {
        return List.copyOf(alarms);
    }
}
