package io.redmatch.perf.resp;

import io.netty.buffer.ByteBuf;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A crossing limit-order flow for an engine node: requests alternate BUY and SELL ({@code ORDER.PLACE}), a buy at a
 * random price in {@code [mid, mid + spread)} ticks and a sell in {@code (mid - spread, mid]}, so every buy is priced
 * at or above every sell. Each order therefore trades in full with the best resting order of the other side or, when
 * that side is empty, rests: the book only ever holds the difference between buys and sells sent so far, which the
 * strict alternation keeps to about the requests in flight. Trades happen at the makers' random prices.
 * <p>
 * Each connection places for its own account, one per side ({@code lg-b<connection>}, {@code lg-s<connection>}).
 */
final class OrderFlowEncoder implements RequestEncoder
{
    private static final int SIDES = 2;

    private final byte[][][] prefixes;
    private final long midUnits;
    private final long tickUnits;
    private final int spreadTicks;
    private final long scalePower;
    private final int scale;
    private final SplittableRandom random;
    private final String description;

    /**
     * A flow.
     *
     * @param connections connections the requests go out on.
     * @param pair        the pair, e.g. {@code BTC-USDT}.
     * @param mid         the mid price, a decimal string that is a multiple of {@code tick}.
     * @param tick        the pair's price tick, e.g. {@code 0.01}.
     * @param spreadTicks how far from the mid prices go, in ticks: at least 1, and below the mid.
     * @param qty         every order's quantity, a decimal string the pair accepts.
     * @param seed        seed of the price choice.
     */
    OrderFlowEncoder(
        final int connections,
        final String pair,
        final String mid,
        final String tick,
        final int spreadTicks,
        final String qty,
        final long seed)
    {
        final BigDecimal tickValue = new BigDecimal(tick);
        final BigDecimal midValue = new BigDecimal(mid);
        if (tickValue.signum() <= 0 || midValue.signum() <= 0)
        {
            throw new IllegalArgumentException("tick and mid must be positive: tick=" + tick + " mid=" + mid);
        }
        scale = Math.max(0, tickValue.stripTrailingZeros().scale());
        scalePower = BigDecimal.ONE.movePointRight(scale).longValueExact();
        tickUnits = tickValue.movePointRight(scale).longValueExact();
        final BigDecimal[] midTicks = midValue.movePointRight(scale).divideAndRemainder(BigDecimal.valueOf(tickUnits));
        if (midTicks[1].signum() != 0)
        {
            throw new IllegalArgumentException("mid " + mid + " is not a multiple of the tick " + tick);
        }
        if (spreadTicks < 1 || spreadTicks >= midTicks[0].longValueExact())
        {
            throw new IllegalArgumentException("spread must be 1 or more ticks and below the mid: " + spreadTicks);
        }
        this.midUnits = midValue.movePointRight(scale).longValueExact();
        this.spreadTicks = spreadTicks;
        this.random = new SplittableRandom(seed);
        this.prefixes = new byte[connections][SIDES][];
        for (int connection = 0; connection < connections; connection++)
        {
            prefixes[connection][0] = prefix(pair, "BUY", "lg-b" + connection, qty);
            prefixes[connection][1] = prefix(pair, "SELL", "lg-s" + connection, qty);
        }
        this.description = "ORDER.PLACE " + pair + " BUY|SELL ACCOUNT lg-b<conn>|lg-s<conn> QTY " + qty +
            " PRICE <" + mid + " +/- [0," + spreadTicks + ") ticks of " + tick + ">, alternating sides";
    }

    public void encode(final long requestIndex, final int connectionIndex, final ByteBuf out)
    {
        final int side = (int)(requestIndex & 1);
        out.writeBytes(prefixes[connectionIndex][side]);
        final long offsetUnits = random.nextInt(spreadTicks) * tickUnits;
        writePrice(out, side == 0 ? midUnits + offsetUnits : midUnits - offsetUnits);
    }

    public String describe()
    {
        return description;
    }

    private void writePrice(final ByteBuf out, final long units)
    {
        final long whole = units / scalePower;
        final long fraction = units % scalePower;
        final int length = digitCount(whole) + (scale > 0 ? 1 + scale : 0);
        out.writeByte('$');
        RequestEncoder.writeDigits(out, length);
        out.writeByte('\r').writeByte('\n');
        RequestEncoder.writeDigits(out, whole);
        if (scale > 0)
        {
            out.writeByte('.');
            for (long divisor = scalePower / 10; divisor > 0; divisor /= 10)
            {
                out.writeByte('0' + (int)((fraction / divisor) % 10));
            }
        }
        out.writeByte('\r').writeByte('\n');
    }

    private static int digitCount(final long value)
    {
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10)
        {
            digits++;
        }
        return digits;
    }

    private static byte[] prefix(final String pair, final String side, final String account, final String qty)
    {
        final StringBuilder text = new StringBuilder("*9\r\n");
        for (final String part : new String[]{ "ORDER.PLACE", pair, side, "ACCOUNT", account, "QTY", qty, "PRICE" })
        {
            text.append('$').append(part.length()).append("\r\n").append(part).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
