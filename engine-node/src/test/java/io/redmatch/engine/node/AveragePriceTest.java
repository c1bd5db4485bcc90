package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.redmatch.engine.core.Decimal;
import io.redmatch.engine.resp.RespWriter;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AveragePriceTest
{
    private final RespWriter out = new RespWriter();

    @Test
    void averagePriceIsTheTruncatedQuotientWithAsManyExtraDecimalsAsFit()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++)
        {
            final int priceScale = random.nextInt(0, Decimal.MAX_SCALE + 1);
            // a quantity above Long.MAX_VALUE / 10 units cannot be placed (the notional bound)
            final long filledQty = random.nextLong(1, Decimal.pow10(random.nextInt(1, 18)));
            final long quoteFilled = random.nextInt(4) == 0 ?
                filledQty * random.nextLong(1, Math.max(2, Long.MAX_VALUE / filledQty)) :
                random.nextLong(filledQty, Long.MAX_VALUE);
            assertAveragePrice(quoteFilled, filledQty, priceScale, seed);
        }
        for (final long[] edge : new long[][] {{1, 1}, {Long.MAX_VALUE, 1}, {Long.MAX_VALUE, Long.MAX_VALUE / 10},
            {Long.MAX_VALUE / 100_000_000 - 1, 3}, {Long.MAX_VALUE / 100_000_000, 1}, {Long.MAX_VALUE / 100_000_000, 7},
            {Long.MAX_VALUE / 100_000_000 + 1, 7}, {55_000, 100}, {10, 3}})
        {
            for (int priceScale = 0; priceScale <= Decimal.MAX_SCALE; priceScale++)
            {
                assertAveragePrice(edge[0], edge[1], priceScale, seed);
            }
        }
    }

    private void assertAveragePrice(final long quoteFilled, final long filledQty, final int priceScale, final long seed)
    {
        int extraScale = Math.min(OrderRecordWriter.AVG_PRICE_EXTRA_SCALE, Decimal.MAX_SCALE - priceScale);
        while (extraScale > 0 && quoteFilled / filledQty >= Long.MAX_VALUE / Decimal.pow10(extraScale))
        {
            extraScale--;
        }
        final long units = BigDecimal.valueOf(quoteFilled)
            .divide(BigDecimal.valueOf(filledQty), extraScale, RoundingMode.DOWN).unscaledValue().longValueExact();
        final String decimal = Decimal.toString(units, priceScale + extraScale);
        OrderRecordWriter.averagePrice(out, quoteFilled, filledQty, priceScale);
        final ByteBuf buffer = out.takeBuffer();
        final String written = buffer.toString(StandardCharsets.US_ASCII);
        buffer.release();
        assertEquals("$" + decimal.length() + "\r\n" + decimal + "\r\n", written,
            () -> quoteFilled + " / " + filledQty + " at price scale " + priceScale + ", seed " + seed);
    }
}
