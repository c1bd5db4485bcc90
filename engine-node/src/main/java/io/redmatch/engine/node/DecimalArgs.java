package io.redmatch.engine.node;

import io.redmatch.engine.core.Decimal;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;

/**
 * Parses a decimal argument at a pair's scale and checks it against a step (tick or lot), writing the
 * {@code -INVALID <FIELD>: why} reply when it fails. The digits are read in place, through the request's
 * {@link RespRequest#bytes()}. Errors build their text (allocating); valid input allocates
 * nothing.
 */
final class DecimalArgs
{
    /** Returned when the value was refused and the error reply written. */
    static final long REFUSED = -1;

    /**
     * @param step the value must be a positive multiple of it (units at {@code scale}).
     * @return the value in units, or {@link #REFUSED} after writing the error.
     */
    long parseMultiple(
        final RespRequest request, final int argIndex, final int scale, final long step, final String field,
        final RespWriter out)
    {
        final long value = Decimal.parse(request.bytes(), request.argOffset(argIndex), request.argLength(argIndex), scale);
        if (value == Decimal.MALFORMED)
        {
            out.error("INVALID " + field + ": not a decimal number");
            return REFUSED;
        }
        if (value == Decimal.OVERFLOW || value > PairSpec.MAX_NOTIONAL_UNITS)
        {
            out.error("INVALID " + field + ": too large");
            return REFUSED;
        }
        if (value == 0)
        {
            out.error("INVALID " + field + ": must be greater than zero");
            return REFUSED;
        }
        if (value == Decimal.TOO_PRECISE || value % step != 0)
        {
            out.error("INVALID " + field + ": not a multiple of " + Decimal.toString(step, scale));
            return REFUSED;
        }
        return value;
    }
}
