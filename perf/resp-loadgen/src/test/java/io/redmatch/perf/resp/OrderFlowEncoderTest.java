package io.redmatch.perf.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderFlowEncoderTest
{
    @Test
    void alternatesSidesWithEveryBuyAtOrAboveEverySellOnTheTick()
    {
        final OrderFlowEncoder encoder = new OrderFlowEncoder(4, "BTC-USDT", "30000", "0.01", 50, "0.001", 7);
        final BigDecimal mid = new BigDecimal("30000");
        final BigDecimal tick = new BigDecimal("0.01");
        BigDecimal lowestBuy = null;
        BigDecimal highestSell = null;
        for (int i = 0; i < 2_000; i++)
        {
            final List<String> args = decode(encoder, i, i % 4);
            assertEquals(List.of("ORDER.PLACE", "BTC-USDT"), args.subList(0, 2));
            assertEquals(i % 2 == 0 ? "BUY" : "SELL", args.get(2));
            assertEquals(List.of("ACCOUNT", (i % 2 == 0 ? "lg-b" : "lg-s") + (i % 4), "QTY", "0.001", "PRICE"),
                args.subList(3, 8));
            final BigDecimal price = new BigDecimal(args.get(8));
            assertTrue(args.get(8).matches("[0-9]+\\.[0-9]{2}"), args.get(8));
            assertEquals(0, price.remainder(tick).signum(), args.get(8));
            assertTrue(price.subtract(mid).abs().compareTo(new BigDecimal("0.50")) < 0, args.get(8));
            if (i % 2 == 0)
            {
                lowestBuy = lowestBuy == null ? price : lowestBuy.min(price);
            }
            else
            {
                highestSell = highestSell == null ? price : highestSell.max(price);
            }
        }
        assertTrue(lowestBuy.compareTo(highestSell) >= 0, lowestBuy + " < " + highestSell);
    }

    @Test
    void formatsWholeTicksAndFineTicks()
    {
        assertEquals("100", decode(new OrderFlowEncoder(1, "P-Q", "100", "1", 1, "1", 1), 0, 0).get(8));
        assertEquals("0.00150", decode(new OrderFlowEncoder(1, "P-Q", "0.0015", "0.00001", 1, "1", 1), 1, 0).get(8));
    }

    @Test
    void refusesAMidOffTheTickOrASpreadBeyondIt()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new OrderFlowEncoder(1, "P-Q", "100.005", "0.01", 10, "1", 1));
        assertThrows(IllegalArgumentException.class, () -> new OrderFlowEncoder(1, "P-Q", "1", "0.01", 100, "1", 1));
        assertThrows(IllegalArgumentException.class, () -> new OrderFlowEncoder(1, "P-Q", "1", "0.01", 0, "1", 1));
    }

    @Test
    void setRequestsCarryTwelveDigitKeysWithinTheKeyspace()
    {
        final SetEncoder encoder = new SetEncoder(1000, "xxx", 3);
        for (int i = 0; i < 500; i++)
        {
            final ByteBuf out = Unpooled.buffer();
            encoder.encode(i, 0, out);
            final List<String> args = parse(out);
            assertEquals("SET", args.get(0));
            assertTrue(args.get(1).matches("key:0{9}[0-9]{3}"), args.get(1));
            assertEquals("xxx", args.get(2));
        }
    }

    private static List<String> decode(final RequestEncoder encoder, final long request, final int connection)
    {
        final ByteBuf out = Unpooled.buffer();
        encoder.encode(request, connection, out);
        return parse(out);
    }

    private static List<String> parse(final ByteBuf out)
    {
        final String text = out.toString(StandardCharsets.US_ASCII);
        final String[] lines = text.split("\r\n", -1);
        assertTrue(lines[0].startsWith("*"), text);
        final int count = Integer.parseInt(lines[0].substring(1));
        final List<String> args = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final String header = lines[1 + 2 * i];
            final String arg = lines[2 + 2 * i];
            assertEquals("$" + arg.length(), header, text);
            args.add(arg);
        }
        assertEquals(2 + 2 * count, lines.length, text);
        return args;
    }
}
