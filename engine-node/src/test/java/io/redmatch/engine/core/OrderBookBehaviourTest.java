package io.redmatch.engine.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.redmatch.engine.core.OrderReason.FOK_NOT_FILLABLE;
import static io.redmatch.engine.core.OrderReason.IOC_REMAINDER;
import static io.redmatch.engine.core.OrderReason.NO_LIQUIDITY;
import static io.redmatch.engine.core.OrderReason.POST_ONLY_WOULD_TAKE;
import static io.redmatch.engine.core.OrderReason.SELF_TRADE;
import static io.redmatch.engine.core.OrderReason.USER_CANCEL;
import static io.redmatch.engine.core.OrderStatus.CANCELLED;
import static io.redmatch.engine.core.OrderStatus.FILLED;
import static io.redmatch.engine.core.OrderStatus.NEW;
import static io.redmatch.engine.core.OrderStatus.PARTIALLY_FILLED;
import static io.redmatch.engine.core.OrderStatus.PENDING_TRIGGER;
import static io.redmatch.engine.core.OrderStatus.REJECTED;
import static io.redmatch.engine.core.Side.BUY;
import static io.redmatch.engine.core.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link OrderBook} must show, written once and run against each implementation (SPEC §2, §3).
 * <p>
 * Amounts are written as decimals of {@link #BTC_USDT} (tick 0.01, lot 0.0001, maker fee 0.001, taker fee 0.002)
 * unless a test picks another pair. After every test the book's invariants are checked, including that the level
 * changes it reported add up to the levels it holds.
 */
public abstract class OrderBookBehaviourTest
{
    protected static final PairSpec BTC_USDT = PairSpec.of("BTC-USDT", "0.01", "0.0001", null, "0.001", "0.002");

    private static final int ALICE = 1;
    private static final int BOB = 2;
    private static final int CAROL = 3;
    private static final int DAVE = 4;
    private static final int[] ACCOUNTS = { ALICE, BOB, CAROL, DAVE };

    private final Recorder recorder = new Recorder();
    private PairSpec spec;
    private OrderBook book;
    private long nextOrderId = 1;
    private long now = 1_700_000_000_000_000L;

    /** Creates the implementation under test. */
    protected abstract OrderBook newBook(PairSpec spec, BookListener listener);

    @BeforeEach
    void setUp()
    {
        usePair(BTC_USDT);
    }

    @AfterEach
    void checkInvariants()
    {
        assertInvariants();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Resting, price-time priority, maker price, fees

    @Test
    void shouldStartEmpty()
    {
        assertEquals(Order.NO_PRICE, book.bestPrice(BUY));
        assertEquals(Order.NO_PRICE, book.bestPrice(SELL));
        assertEquals(0, book.bestQty(BUY));
        assertEquals(0, book.bestQty(SELL));
        assertEquals(Order.NO_PRICE, book.lastTradePrice());
        assertEquals(0, book.lastFillSeq());
        assertEquals(0, book.openOrderCount());
        assertEquals(0, book.forEachLevel(BUY, 10, (price, qty, count) -> { }));
        assertNull(book.openOrder(1));
        assertSame(BTC_USDT, book.spec());
    }

    @Test
    void shouldRestLimitOrderThatDoesNotCross()
    {
        final Order bid = place(limit(ALICE, BUY, "99", "1"));
        final Order ask = place(limit(BOB, SELL, "101", "2"));

        assertOrder(bid, NEW, OrderReason.NONE, "0", "1");
        assertEquals(qty("1"), bid.qty);
        assertOrder(ask, NEW, OrderReason.NONE, "0", "2");
        assertEquals(price("99"), book.bestPrice(BUY));
        assertEquals(qty("1"), book.bestQty(BUY));
        assertEquals(price("101"), book.bestPrice(SELL));
        assertEquals(qty("2"), book.bestQty(SELL));
        assertSame(bid, book.openOrder(bid.orderId));
        assertSame(ask, book.openOrder(ask.orderId));
        assertEquals(2, book.openOrderCount());
        assertTrue(recorder.events.isEmpty());
    }

    @Test
    void shouldTradeAtMakerPriceAndChargeFeesInTheAssetReceived()
    {
        final Order maker = place(limit(ALICE, SELL, "100", "1"));
        final Order taker = place(limit(BOB, BUY, "101", "0.4"));

        assertEquals(List.of(
            new Fill(1, taker.orderId, maker.orderId, price("100"), qty("0.4"), quote("40"),
                baseAmount("0.0008"), quoteAmount("0.04"), taker.ts),
            new Closed(taker.orderId, FILLED, OrderReason.NONE, qty("0.4"), taker.ts)), recorder.events);
        assertEquals(80_000, recorder.fills.get(0).takerFee());
        assertOrder(taker, FILLED, OrderReason.NONE, "0.4", "0");
        assertEquals(quote("40"), taker.quoteFilled);
        assertEquals(taker.ts, taker.closedTs);
        assertOrder(maker, PARTIALLY_FILLED, OrderReason.NONE, "0.4", "0.6");
        assertEquals(quote("40"), maker.quoteFilled);
        assertEquals(price("100"), book.lastTradePrice());
        assertEquals(1, book.lastFillSeq());
        assertNull(book.openOrder(taker.orderId));
        assertEquals(Order.NO_PRICE, book.bestPrice(BUY));
        assertEquals(qty("0.6"), book.bestQty(SELL));
    }

    @Test
    void shouldChargeSellingTakerInQuoteAndBuyingMakerInBase()
    {
        final Order maker = place(limit(ALICE, BUY, "100", "1"));
        final Order taker = place(limit(BOB, SELL, "99", "0.3"));

        assertEquals(List.of(new Fill(1, taker.orderId, maker.orderId, price("100"), qty("0.3"), quote("30"),
            quoteAmount("0.06"), baseAmount("0.0003"), taker.ts)), recorder.fills);
    }

    @Test
    void shouldRoundFeesUpToThePrecisionOfTheirAsset()
    {
        usePair(PairSpec.of("BTC-USDT", "0.01", "0.0001", null, "0.00000003", "0.00000007"));
        final Order maker = place(limit(ALICE, SELL, "100.01", "1"));
        final Order taker = place(limit(BOB, BUY, "100.01", "0.0001"));

        // 0.0001 BTC x 7e-8 and 0.010001 USDT x 3e-8 are both far below 1e-8: each rounds up to one unit.
        assertEquals(List.of(new Fill(1, taker.orderId, maker.orderId, price("100.01"), qty("0.0001"),
            quote("0.010001"), 1, 1, taker.ts)), recorder.fills);
    }

    @Test
    void shouldChargeNoFeesWhenRatesAreZero()
    {
        usePair(PairSpec.of("ETH-USDC", "0.05", "0.002", null, null, null));
        final Order maker = place(limit(ALICE, BUY, "2000.05", "1"));
        final Order taker = place(market(BOB, SELL, "0.5"));

        assertEquals(List.of(new Fill(1, taker.orderId, maker.orderId, price("2000.05"), qty("0.5"),
            quote("1000.025"), 0, 0, taker.ts)), recorder.fills);
    }

    @Test
    void shouldMatchTheBestPriceFirst()
    {
        final Order at102 = place(limit(ALICE, SELL, "102", "1"));
        final Order at101 = place(limit(BOB, SELL, "101", "1"));
        final Order at103 = place(limit(CAROL, SELL, "103", "1"));
        place(limit(DAVE, BUY, "103", "1.5"));

        assertEquals(List.of(at101.orderId, at102.orderId), makerIds());
        assertEquals(List.of(price("101"), price("102")), fillPrices());
        assertOrder(at102, PARTIALLY_FILLED, OrderReason.NONE, "0.5", "0.5");
        assertOrder(at103, NEW, OrderReason.NONE, "0", "1");
    }

    @Test
    void shouldMatchTheOrderThatRestedFirstAtOnePrice()
    {
        final Order first = place(limit(ALICE, BUY, "100", "1"));
        final Order second = place(limit(BOB, BUY, "100", "1"));
        final Order third = place(limit(CAROL, BUY, "100", "1"));
        place(limit(DAVE, SELL, "100", "1.5"));

        assertEquals(List.of(first.orderId, second.orderId), makerIds());
        assertOrder(first, FILLED, OrderReason.NONE, "1", "0");
        assertOrder(second, PARTIALLY_FILLED, OrderReason.NONE, "0.5", "0.5");
        assertOrder(third, NEW, OrderReason.NONE, "0", "1");
        assertEquals(List.of(second.orderId, third.orderId), restingIds(BUY));
    }

    @Test
    void shouldSweepLevelsAtEachMakersPriceAndCloseFilledMakers()
    {
        final Order m1 = place(limit(ALICE, SELL, "100", "0.5"));
        final Order m2 = place(limit(BOB, SELL, "101", "0.5"));
        final Order m3 = place(limit(CAROL, SELL, "102", "1"));
        final Order taker = place(limit(DAVE, BUY, "102", "1.5"));

        final long ts = taker.ts;
        assertEquals(List.of(
            new Fill(1, taker.orderId, m1.orderId, price("100"), qty("0.5"), quote("50"),
                baseAmount("0.001"), quoteAmount("0.05"), ts),
            new Closed(m1.orderId, FILLED, OrderReason.NONE, qty("0.5"), ts),
            new Fill(2, taker.orderId, m2.orderId, price("101"), qty("0.5"), quote("50.5"),
                baseAmount("0.001"), quoteAmount("0.0505"), ts),
            new Closed(m2.orderId, FILLED, OrderReason.NONE, qty("0.5"), ts),
            new Fill(3, taker.orderId, m3.orderId, price("102"), qty("0.5"), quote("51"),
                baseAmount("0.001"), quoteAmount("0.051"), ts),
            new Closed(taker.orderId, FILLED, OrderReason.NONE, qty("1.5"), ts)), recorder.events);
        assertEquals(quote("151.5"), taker.quoteFilled);
        assertEquals(ts, m1.closedTs);
        assertNull(book.openOrder(m1.orderId));
        assertOrder(m3, PARTIALLY_FILLED, OrderReason.NONE, "0.5", "0.5");
        assertEquals(price("102"), book.lastTradePrice());
        assertEquals(3, book.lastFillSeq());
    }

    @Test
    void shouldRestTheRemainderOfAPartiallyFilledLimit()
    {
        place(limit(ALICE, SELL, "100", "1"));
        final Order taker = place(limit(BOB, BUY, "101", "2.5"));

        assertOrder(taker, PARTIALLY_FILLED, OrderReason.NONE, "1", "1.5");
        assertEquals(qty("2.5"), taker.qty);
        assertSame(taker, book.openOrder(taker.orderId));
        assertEquals(price("101"), book.bestPrice(BUY));
        assertEquals(qty("1.5"), book.bestQty(BUY));
        assertEquals(Order.NO_PRICE, book.bestPrice(SELL));
    }

    @Test
    void shouldNotTradeThroughTheLimitPrice()
    {
        place(limit(ALICE, SELL, "100", "1"));
        final Order bid = place(limit(BOB, BUY, "99.99", "1"));

        assertOrder(bid, NEW, OrderReason.NONE, "0", "1");
        assertTrue(recorder.fills.isEmpty());
        assertEquals(Order.NO_PRICE, book.lastTradePrice());
    }

    @Test
    void shouldLetASellingTakerWalkDownToItsLimitThenRest()
    {
        place(limit(ALICE, BUY, "101", "0.4"));
        place(limit(BOB, BUY, "100", "0.4"));
        place(limit(CAROL, BUY, "98", "0.4"));
        final Order taker = place(limit(DAVE, SELL, "100", "1"));

        assertEquals(List.of(price("101"), price("100")), fillPrices());
        assertOrder(taker, PARTIALLY_FILLED, OrderReason.NONE, "0.8", "0.2");
        assertEquals(price("100"), book.bestPrice(SELL));
        assertEquals(price("98"), book.bestPrice(BUY));
        assertEquals(quote("80.4"), taker.quoteFilled);
    }

    @Test
    void shouldTradeWithItsOwnOrdersUnderStpNone()
    {
        final Order maker = place(limit(ALICE, SELL, "100", "1"));
        final Order taker = limit(ALICE, BUY, "100", "1");
        taker.stp = SelfTradePrevention.NONE;
        place(taker);

        assertEquals(List.of(maker.orderId), makerIds());
        assertOrder(taker, FILLED, OrderReason.NONE, "1", "0");
        assertOrder(maker, FILLED, OrderReason.NONE, "1", "0");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // IOC, FOK, post-only

    @Test
    void shouldCancelTheRemainderOfAnIoc()
    {
        place(limit(ALICE, SELL, "100", "0.4"));
        place(limit(ALICE, SELL, "102", "1"));
        final Order taker = limit(BOB, BUY, "101", "1");
        taker.tif = TimeInForce.IOC;
        place(taker);

        assertOrder(taker, CANCELLED, IOC_REMAINDER, "0.4", "0");
        assertEquals(taker.ts, taker.closedTs);
        assertEquals(new Closed(taker.orderId, CANCELLED, IOC_REMAINDER, qty("0.4"), taker.ts), lastClosed());
        assertNull(book.openOrder(taker.orderId));
        assertEquals(Order.NO_PRICE, book.bestPrice(BUY));
    }

    @Test
    void shouldCancelAnIocThatFillsNothing()
    {
        final Order taker = limit(BOB, BUY, "101", "1");
        taker.tif = TimeInForce.IOC;
        place(taker);

        assertOrder(taker, CANCELLED, IOC_REMAINDER, "0", "0");
        assertEquals(List.of(new Closed(taker.orderId, CANCELLED, IOC_REMAINDER, 0, taker.ts)), recorder.events);
        assertEquals(0, book.openOrderCount());
    }

    @Test
    void shouldFillAnIocThatFindsEnough()
    {
        place(limit(ALICE, SELL, "100", "2"));
        final Order taker = limit(BOB, BUY, "101", "1");
        taker.tif = TimeInForce.IOC;
        place(taker);

        assertOrder(taker, FILLED, OrderReason.NONE, "1", "0");
    }

    @Test
    void shouldRejectAFokThatCannotFillWithoutTouchingTheBook()
    {
        final Order m1 = place(limit(ALICE, SELL, "100", "0.5"));
        final Order m2 = place(limit(BOB, SELL, "101", "0.4"));
        final Order taker = limit(CAROL, BUY, "101", "1");
        taker.tif = TimeInForce.FOK;
        place(taker);

        assertOrder(taker, REJECTED, FOK_NOT_FILLABLE, "0", "0");
        assertEquals(List.of(new Closed(taker.orderId, REJECTED, FOK_NOT_FILLABLE, 0, taker.ts)), recorder.events);
        assertOrder(m1, NEW, OrderReason.NONE, "0", "0.5");
        assertOrder(m2, NEW, OrderReason.NONE, "0", "0.4");
        assertEquals(Order.NO_PRICE, book.lastTradePrice());
        assertEquals(0, book.lastFillSeq());
    }

    @Test
    void shouldCountOnlyLiquidityWithinTheFokLimit()
    {
        place(limit(ALICE, SELL, "100", "0.5"));
        place(limit(BOB, SELL, "102", "5"));
        final Order taker = limit(CAROL, BUY, "101", "1");
        taker.tif = TimeInForce.FOK;
        place(taker);

        assertOrder(taker, REJECTED, FOK_NOT_FILLABLE, "0", "0");
        assertTrue(recorder.fills.isEmpty());
    }

    @Test
    void shouldFillAFokAcrossLevels()
    {
        place(limit(ALICE, SELL, "100", "0.5"));
        place(limit(BOB, SELL, "101", "0.5"));
        final Order taker = limit(CAROL, BUY, "101", "1");
        taker.tif = TimeInForce.FOK;
        place(taker);

        assertOrder(taker, FILLED, OrderReason.NONE, "1", "0");
        assertEquals(List.of(price("100"), price("101")), fillPrices());
    }

    @Test
    void shouldFillAFokSellExactly()
    {
        place(limit(ALICE, BUY, "100", "0.5"));
        place(limit(BOB, BUY, "99", "0.5"));
        final Order taker = limit(CAROL, SELL, "99", "1");
        taker.tif = TimeInForce.FOK;
        place(taker);

        assertOrder(taker, FILLED, OrderReason.NONE, "1", "0");
        assertEquals(0, book.openOrderCount());
    }

    @Test
    void shouldCountOwnOrdersForAFokWithStpNone()
    {
        final Order own = place(limit(ALICE, SELL, "100", "0.5"));
        place(limit(BOB, SELL, "100", "0.5"));
        final Order taker = limit(ALICE, BUY, "100", "1");
        taker.tif = TimeInForce.FOK;
        taker.stp = SelfTradePrevention.NONE;
        place(taker);

        assertOrder(taker, FILLED, OrderReason.NONE, "1", "0");
        assertEquals(own.orderId, recorder.fills.get(0).makerId());
    }

    @Test
    void shouldNotCountOwnOrdersForAFokWithCancelMaker()
    {
        final Order own = place(limit(ALICE, SELL, "100", "0.5"));
        place(limit(BOB, SELL, "101", "0.6"));
        final Order taker = limit(ALICE, BUY, "101", "1");
        taker.tif = TimeInForce.FOK;
        taker.stp = SelfTradePrevention.CANCEL_MAKER;
        place(taker);

        assertOrder(taker, REJECTED, FOK_NOT_FILLABLE, "0", "0");
        assertOrder(own, NEW, OrderReason.NONE, "0", "0.5");
        assertEquals(List.of(new Closed(taker.orderId, REJECTED, FOK_NOT_FILLABLE, 0, taker.ts)), recorder.events);
    }

    @Test
    void shouldCancelOwnMakersWhileFillingAFokWithCancelMaker()
    {
        final Order own = place(limit(ALICE, SELL, "100", "0.5"));
        final Order other = place(limit(BOB, SELL, "101", "1"));
        final Order taker = limit(ALICE, BUY, "101", "1");
        taker.tif = TimeInForce.FOK;
        taker.stp = SelfTradePrevention.CANCEL_MAKER;
        place(taker);

        assertOrder(own, CANCELLED, SELF_TRADE, "0", "0");
        assertOrder(taker, FILLED, OrderReason.NONE, "1", "0");
        assertEquals(List.of(other.orderId), makerIds());
    }

    @ParameterizedTest
    @EnumSource(value = SelfTradePrevention.class, names = { "CANCEL_TAKER", "CANCEL_BOTH" })
    void shouldStopCountingAtAnOwnOrderForAFokThatWouldBeCancelled(final SelfTradePrevention stp)
    {
        place(limit(BOB, SELL, "100", "0.5"));
        final Order own = place(limit(ALICE, SELL, "100", "0.5"));
        place(limit(CAROL, SELL, "100", "5"));
        final Order taker = limit(ALICE, BUY, "100", "1");
        taker.tif = TimeInForce.FOK;
        taker.stp = stp;
        place(taker);

        assertOrder(taker, REJECTED, FOK_NOT_FILLABLE, "0", "0");
        assertOrder(own, NEW, OrderReason.NONE, "0", "0.5");
        assertTrue(recorder.fills.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = SelfTradePrevention.class, names = { "CANCEL_TAKER", "CANCEL_BOTH" })
    void shouldFillAFokBeforeItReachesAnOwnOrder(final SelfTradePrevention stp)
    {
        place(limit(BOB, SELL, "100", "1"));
        final Order own = place(limit(ALICE, SELL, "100", "0.5"));
        final Order taker = limit(ALICE, BUY, "100", "1");
        taker.tif = TimeInForce.FOK;
        taker.stp = stp;
        place(taker);

        assertOrder(taker, FILLED, OrderReason.NONE, "1", "0");
        assertOrder(own, NEW, OrderReason.NONE, "0", "0.5");
    }

    @Test
    void shouldRejectAPostOnlyBuyThatWouldTake()
    {
        final Order ask = place(limit(ALICE, SELL, "100", "1"));
        final Order bid = limit(BOB, BUY, "100", "1");
        bid.postOnly = true;
        place(bid);

        assertOrder(bid, REJECTED, POST_ONLY_WOULD_TAKE, "0", "0");
        assertEquals(List.of(new Closed(bid.orderId, REJECTED, POST_ONLY_WOULD_TAKE, 0, bid.ts)), recorder.events);
        assertOrder(ask, NEW, OrderReason.NONE, "0", "1");
        assertEquals(Order.NO_PRICE, book.bestPrice(BUY));
    }

    @Test
    void shouldRejectAPostOnlySellThatWouldTake()
    {
        place(limit(ALICE, BUY, "100", "1"));
        final Order ask = limit(BOB, SELL, "99", "1");
        ask.postOnly = true;
        place(ask);

        assertOrder(ask, REJECTED, POST_ONLY_WOULD_TAKE, "0", "0");
        assertTrue(recorder.fills.isEmpty());
    }

    @Test
    void shouldRestAPostOnlyThatDoesNotCross()
    {
        place(limit(ALICE, SELL, "100", "1"));
        final Order bid = limit(BOB, BUY, "99.99", "1");
        bid.postOnly = true;
        place(bid);

        assertOrder(bid, NEW, OrderReason.NONE, "0", "1");
        assertEquals(price("99.99"), book.bestPrice(BUY));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Market orders

    @Test
    void shouldSweepAnyPriceWithAMarketBuy()
    {
        place(limit(ALICE, SELL, "100", "0.5"));
        place(limit(BOB, SELL, "500", "1"));
        final Order taker = place(market(CAROL, BUY, "1"));

        assertEquals(List.of(price("100"), price("500")), fillPrices());
        assertOrder(taker, FILLED, OrderReason.NONE, "1", "0");
        assertEquals(Order.NO_PRICE, taker.price);
        assertEquals(quote("300"), taker.quoteFilled);
    }

    @Test
    void shouldFillAMarketSell()
    {
        place(limit(ALICE, BUY, "100", "0.5"));
        place(limit(BOB, BUY, "1", "1"));
        final Order taker = place(market(CAROL, SELL, "0.7"));

        assertEquals(List.of(price("100"), price("1")), fillPrices());
        assertOrder(taker, FILLED, OrderReason.NONE, "0.7", "0");
    }

    @Test
    void shouldCancelAMarketOrderWhenTheBookRunsOut()
    {
        place(limit(ALICE, SELL, "100", "0.5"));
        final Order taker = place(market(BOB, BUY, "1"));

        assertOrder(taker, CANCELLED, NO_LIQUIDITY, "0.5", "0");
        assertEquals(taker.ts, taker.closedTs);
        assertEquals(qty("1"), taker.qty);
        assertEquals(new Closed(taker.orderId, CANCELLED, NO_LIQUIDITY, qty("0.5"), taker.ts), lastClosed());
    }

    @Test
    void shouldCancelAMarketOrderOnAnEmptyBook()
    {
        final Order taker = place(market(BOB, SELL, "1"));

        assertOrder(taker, CANCELLED, NO_LIQUIDITY, "0", "0");
        assertEquals(List.of(new Closed(taker.orderId, CANCELLED, NO_LIQUIDITY, 0, taker.ts)), recorder.events);
        assertEquals(0, book.openOrderCount());
    }

    @Test
    void shouldSpendAQuoteBudgetAcrossLevels()
    {
        place(limit(ALICE, SELL, "100", "0.5"));
        place(limit(BOB, SELL, "200", "1"));
        final Order taker = place(marketBudget(CAROL, "100"));

        assertEquals(List.of(qty("0.5"), qty("0.25")), fillQtys());
        assertOrder(taker, FILLED, OrderReason.NONE, "0.75", "0");
        assertEquals(qty("0.75"), taker.qty);
        assertEquals(quote("100"), taker.quoteFilled);
        assertEquals(quote("100"), taker.quoteBudget);
        assertEquals(qty("0.75"), book.bestQty(SELL));
    }

    @Test
    void shouldFillAQuoteBudgetWhoseLeftoverBuysLessThanALot()
    {
        place(limit(ALICE, SELL, "100", "5"));
        final Order taker = place(marketBudget(BOB, "50.009999"));

        // A lot at 100 costs 0.01: 5000 lots for 50, the 0.009999 left buys none.
        assertOrder(taker, FILLED, OrderReason.NONE, "0.5", "0");
        assertEquals(quote("50"), taker.quoteFilled);
        assertEquals(List.of(qty("0.5")), fillQtys());
    }

    @Test
    void shouldFillAQuoteBudgetThatCannotAffordOneLot()
    {
        final Order ask = place(limit(ALICE, SELL, "100", "5"));
        final Order taker = place(marketBudget(BOB, "0.009999"));

        assertOrder(taker, FILLED, OrderReason.NONE, "0", "0");
        assertEquals(0, taker.qty);
        assertEquals(List.of(new Closed(taker.orderId, FILLED, OrderReason.NONE, 0, taker.ts)), recorder.events);
        assertOrder(ask, NEW, OrderReason.NONE, "0", "5");
    }

    @Test
    void shouldStopAQuoteBudgetAtALevelItCannotAfford()
    {
        place(limit(ALICE, SELL, "100", "0.5"));
        place(limit(BOB, SELL, "200000", "1"));
        final Order taker = place(marketBudget(CAROL, "60"));

        // After 50 at 100 the 10 left cannot buy a lot at 200000 (20 each): filled, not out of liquidity.
        assertOrder(taker, FILLED, OrderReason.NONE, "0.5", "0");
        assertEquals(quote("50"), taker.quoteFilled);
    }

    @Test
    void shouldCancelAQuoteBudgetWhenTheBookRunsOut()
    {
        place(limit(ALICE, SELL, "100", "0.5"));
        final Order taker = place(marketBudget(BOB, "100"));

        assertOrder(taker, CANCELLED, NO_LIQUIDITY, "0.5", "0");
        assertEquals(qty("0.5"), taker.qty);
        assertEquals(quote("50"), taker.quoteFilled);
    }

    @Test
    void shouldBuyWholeLotsWithAQuoteBudget()
    {
        usePair(PairSpec.of("BTC-USDT", "0.01", "0.0005", null, "0.001", "0.002"));
        place(limit(ALICE, SELL, "100", "1"));
        final Order taker = place(marketBudget(BOB, "1.04"));

        // A lot of 0.0005 at 100 costs 0.05: 20 lots, 0.04 left over.
        assertOrder(taker, FILLED, OrderReason.NONE, "0.01", "0");
        assertEquals(quote("1"), taker.quoteFilled);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Self-trade prevention

    @Test
    void shouldCancelTheTakerByDefault()
    {
        final Order own = place(limit(ALICE, SELL, "100", "1"));
        final Order taker = place(limit(ALICE, BUY, "100", "1"));

        assertEquals(SelfTradePrevention.CANCEL_TAKER, taker.stp);
        assertOrder(taker, CANCELLED, SELF_TRADE, "0", "0");
        assertEquals(List.of(new Closed(taker.orderId, CANCELLED, SELF_TRADE, 0, taker.ts)), recorder.events);
        assertOrder(own, NEW, OrderReason.NONE, "0", "1");
        assertEquals(Order.NO_PRICE, book.bestPrice(BUY));
    }

    @Test
    void shouldKeepFillsMadeBeforeTheTakerIsCancelled()
    {
        final Order other = place(limit(BOB, SELL, "100", "0.3"));
        final Order own = place(limit(ALICE, SELL, "100", "0.5"));
        final Order later = place(limit(BOB, SELL, "101", "1"));
        final Order taker = place(limit(ALICE, BUY, "101", "1"));

        assertEquals(List.of(other.orderId), makerIds());
        assertOrder(taker, CANCELLED, SELF_TRADE, "0.3", "0");
        assertEquals(qty("1"), taker.qty);
        assertOrder(own, NEW, OrderReason.NONE, "0", "0.5");
        assertOrder(later, NEW, OrderReason.NONE, "0", "1");
    }

    @Test
    void shouldCancelOwnMakersAndGoOnWithCancelMaker()
    {
        final Order other = place(limit(BOB, SELL, "100", "0.3"));
        final Order own = place(limit(ALICE, SELL, "100", "0.5"));
        final Order later = place(limit(BOB, SELL, "101", "1"));
        final Order taker = limit(ALICE, BUY, "101", "1");
        taker.stp = SelfTradePrevention.CANCEL_MAKER;
        place(taker);

        final long ts = taker.ts;
        assertEquals(List.of(
            new Fill(1, taker.orderId, other.orderId, price("100"), qty("0.3"), quote("30"),
                baseAmount("0.0006"), quoteAmount("0.03"), ts),
            new Closed(other.orderId, FILLED, OrderReason.NONE, qty("0.3"), ts),
            new Closed(own.orderId, CANCELLED, SELF_TRADE, 0, ts),
            new Fill(2, taker.orderId, later.orderId, price("101"), qty("0.7"), quote("70.7"),
                baseAmount("0.0014"), quoteAmount("0.0707"), ts),
            new Closed(taker.orderId, FILLED, OrderReason.NONE, qty("1"), ts)), recorder.events);
        assertOrder(own, CANCELLED, SELF_TRADE, "0", "0");
        assertEquals(ts, own.closedTs);
        assertNull(book.openOrder(own.orderId));
    }

    @Test
    void shouldCancelBothWithCancelBoth()
    {
        final Order other = place(limit(BOB, SELL, "100", "0.3"));
        final Order own = place(limit(ALICE, SELL, "100", "0.5"));
        final Order later = place(limit(BOB, SELL, "101", "1"));
        final Order taker = limit(ALICE, BUY, "101", "1");
        taker.stp = SelfTradePrevention.CANCEL_BOTH;
        place(taker);

        final long ts = taker.ts;
        assertEquals(List.of(other.orderId), makerIds());
        assertEquals(List.of(
            new Closed(other.orderId, FILLED, OrderReason.NONE, qty("0.3"), ts),
            new Closed(own.orderId, CANCELLED, SELF_TRADE, 0, ts),
            new Closed(taker.orderId, CANCELLED, SELF_TRADE, qty("0.3"), ts)), recorder.closed);
        assertOrder(later, NEW, OrderReason.NONE, "0", "1");
        assertEquals(1, book.openOrderCount());
    }

    @Test
    void shouldApplyTheTakersModeNotTheMakers()
    {
        final Order maker = limit(ALICE, SELL, "100", "1");
        maker.stp = SelfTradePrevention.CANCEL_TAKER;
        place(maker);
        final Order taker = limit(ALICE, BUY, "100", "1");
        taker.stp = SelfTradePrevention.NONE;
        place(taker);

        assertOrder(taker, FILLED, OrderReason.NONE, "1", "0");
        assertOrder(maker, FILLED, OrderReason.NONE, "1", "0");
    }

    @Test
    void shouldNotApplyStpToOwnOrdersBeyondTheLimit()
    {
        final Order own = place(limit(ALICE, SELL, "102", "1"));
        final Order bid = place(limit(ALICE, BUY, "101", "1"));

        assertOrder(bid, NEW, OrderReason.NONE, "0", "1");
        assertOrder(own, NEW, OrderReason.NONE, "0", "1");
    }

    @Test
    void shouldCancelOwnMakersForAMarketOrderWithCancelMaker()
    {
        final Order own = place(limit(ALICE, BUY, "101", "1"));
        place(limit(BOB, BUY, "100", "1"));
        final Order taker = market(ALICE, SELL, "1");
        taker.stp = SelfTradePrevention.CANCEL_MAKER;
        place(taker);

        assertOrder(own, CANCELLED, SELF_TRADE, "0", "0");
        assertOrder(taker, FILLED, OrderReason.NONE, "1", "0");
        assertEquals(List.of(price("100")), fillPrices());
    }

    @Test
    void shouldCancelAQuoteBudgetTakerMeetingItsOwnOrder()
    {
        place(limit(BOB, SELL, "100", "0.1"));
        final Order own = place(limit(ALICE, SELL, "100", "1"));
        final Order taker = place(marketBudget(ALICE, "100"));

        assertOrder(taker, CANCELLED, SELF_TRADE, "0.1", "0");
        assertEquals(quote("10"), taker.quoteFilled);
        assertOrder(own, NEW, OrderReason.NONE, "0", "1");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Stop orders

    @Test
    void shouldRefuseAStopBeforeTheFirstTrade()
    {
        final Order stop = stopMarket(ALICE, BUY, "101", "1");

        assertEquals(PlaceResult.STOP_ALREADY_TRIGGERED, book.place(stop));
        assertEquals(0, book.openOrderCount());
        assertNull(book.openOrder(stop.orderId));
        assertTrue(recorder.events.isEmpty());
    }

    @Test
    void shouldRefuseStopsWhoseTriggerIsAlreadyReached()
    {
        establishLastPrice("100");

        assertEquals(PlaceResult.STOP_ALREADY_TRIGGERED, book.place(stopMarket(ALICE, BUY, "100", "1")));
        assertEquals(PlaceResult.STOP_ALREADY_TRIGGERED, book.place(stopLimit(ALICE, BUY, "99", "99", "1")));
        assertEquals(PlaceResult.STOP_ALREADY_TRIGGERED, book.place(stopMarket(ALICE, SELL, "100", "1")));
        assertEquals(PlaceResult.STOP_ALREADY_TRIGGERED, book.place(stopLimit(ALICE, SELL, "101", "101", "1")));
        assertEquals(0, book.openOrderCount());
        assertTrue(recorder.events.isEmpty());
    }

    @Test
    void shouldHoldAStopPendingItsTrigger()
    {
        establishLastPrice("100");
        final Order buyStop = place(stopLimit(ALICE, BUY, "100.01", "101", "1"));
        final Order sellStop = place(stopMarket(ALICE, SELL, "99.99", "2"));

        assertOrder(buyStop, PENDING_TRIGGER, OrderReason.NONE, "0", "1");
        assertOrder(sellStop, PENDING_TRIGGER, OrderReason.NONE, "0", "2");
        assertSame(buyStop, book.openOrder(buyStop.orderId));
        assertEquals(2, book.openOrderCount());
        assertEquals(List.of(buyStop.orderId, sellStop.orderId), openIds(ALICE));
        assertEquals(Order.NO_PRICE, book.bestPrice(BUY));
        assertEquals(Order.NO_PRICE, book.bestPrice(SELL));
        assertTrue(recorder.events.isEmpty());
    }

    @Test
    void shouldTriggerABuyStopMarketWhenThePriceRisesToItsTrigger()
    {
        establishLastPrice("100");
        final Order stop = place(stopMarket(ALICE, BUY, "101", "0.5"));
        place(limit(BOB, SELL, "101", "0.2"));
        final Order far = place(limit(BOB, SELL, "103", "1"));
        final Order mover = place(limit(CAROL, BUY, "101", "0.2"));

        assertEquals(List.of(mover.orderId, stop.orderId), takerIds());
        final Fill stopFill = recorder.fills.get(1);
        assertEquals(new Fill(3, stop.orderId, far.orderId, price("103"), qty("0.5"), quote("51.5"),
            baseAmount("0.001"), quoteAmount("0.0515"), mover.ts), stopFill);
        assertOrder(stop, FILLED, OrderReason.NONE, "0.5", "0");
        assertEquals(OrderType.STOP_MARKET, stop.type);
        assertEquals(mover.ts, stop.closedTs);
        assertEquals(price("103"), book.lastTradePrice());
        assertEquals(0, pendingIds(BUY).size());
    }

    @Test
    void shouldTriggerASellStopLimitWhenThePriceFallsToItsTriggerAndRestTheRemainder()
    {
        establishLastPrice("100");
        final Order stop = place(stopLimit(ALICE, SELL, "99", "98", "1"));
        place(limit(BOB, BUY, "99", "0.3"));
        place(limit(BOB, BUY, "98", "0.2"));
        place(limit(BOB, BUY, "97", "1"));
        place(limit(CAROL, SELL, "99", "0.3"));

        assertOrder(stop, PARTIALLY_FILLED, OrderReason.NONE, "0.2", "0.8");
        assertEquals(OrderType.STOP_LIMIT, stop.type);
        assertEquals(price("98"), book.bestPrice(SELL));
        assertEquals(qty("0.8"), book.bestQty(SELL));
        assertEquals(List.of(stop.orderId), restingIds(SELL));
    }

    @Test
    void shouldRestATriggeredStopLimitThatDoesNotCross()
    {
        establishLastPrice("100");
        final Order stop = place(stopLimit(ALICE, BUY, "101", "100.5", "1"));
        place(limit(BOB, SELL, "101", "0.1"));
        place(limit(CAROL, BUY, "101", "0.1"));

        assertOrder(stop, NEW, OrderReason.NONE, "0", "1");
        assertEquals(List.of(stop.orderId), restingIds(BUY));
        assertEquals(PlaceResult.OK, book.amend(stop, qty("0.5"), Order.NO_PRICE, ++now));
        assertEquals(qty("0.5"), stop.openQty);
    }

    @Test
    void shouldNotTriggerStopsWhenThePriceMovesAway()
    {
        establishLastPrice("100");
        final Order buyStop = place(stopMarket(ALICE, BUY, "101", "1"));
        final Order sellStop = place(stopMarket(ALICE, SELL, "99", "1"));
        place(limit(BOB, SELL, "100.99", "1"));
        place(limit(CAROL, BUY, "100.99", "1"));
        place(limit(BOB, BUY, "99.01", "1"));
        place(limit(CAROL, SELL, "99.01", "1"));

        assertEquals(PENDING_TRIGGER, buyStop.status);
        assertEquals(PENDING_TRIGGER, sellStop.status);
        assertEquals(2, book.openOrderCount());
    }

    @Test
    void shouldRunBuyStopsInTriggerOrderThenPlacementOrder()
    {
        establishLastPrice("100");
        final Order a = place(stopMarket(ALICE, BUY, "103", "0.1"));
        final Order b = place(stopMarket(ALICE, BUY, "101", "0.1"));
        final Order c = place(stopMarket(ALICE, BUY, "102", "0.1"));
        final Order d = place(stopMarket(ALICE, BUY, "101", "0.1"));
        assertEquals(List.of(b.orderId, d.orderId, c.orderId, a.orderId), pendingIds(BUY));

        place(limit(BOB, SELL, "103", "0.1"));
        place(limit(BOB, SELL, "105", "10"));
        final Order mover = place(limit(CAROL, BUY, "103", "0.1"));

        assertEquals(List.of(mover.orderId, b.orderId, d.orderId, c.orderId, a.orderId), takerIds());
        assertEquals(List.of(), pendingIds(BUY));
    }

    @Test
    void shouldRunSellStopsHighestTriggerFirstThenPlacementOrder()
    {
        establishLastPrice("100");
        final Order a = place(stopMarket(ALICE, SELL, "97", "0.1"));
        final Order b = place(stopMarket(ALICE, SELL, "99", "0.1"));
        final Order c = place(stopMarket(ALICE, SELL, "98", "0.1"));
        final Order d = place(stopMarket(ALICE, SELL, "99", "0.1"));
        assertEquals(List.of(b.orderId, d.orderId, c.orderId, a.orderId), pendingIds(SELL));

        place(limit(BOB, BUY, "97", "0.1"));
        place(limit(BOB, BUY, "95", "10"));
        final Order mover = place(limit(CAROL, SELL, "97", "0.1"));

        assertEquals(List.of(mover.orderId, b.orderId, d.orderId, c.orderId, a.orderId), takerIds());
    }

    @Test
    void shouldCascadeStopsWithinOneCommand()
    {
        establishLastPrice("100");
        final Order first = place(stopMarket(ALICE, BUY, "101", "0.5"));
        final Order second = place(stopMarket(ALICE, BUY, "103", "0.5"));
        place(limit(BOB, SELL, "101", "0.1"));
        place(limit(BOB, SELL, "103", "0.5"));
        place(limit(BOB, SELL, "104", "1"));
        final Order mover = place(limit(CAROL, BUY, "101", "0.1"));

        assertEquals(List.of(mover.orderId, first.orderId, second.orderId), takerIds());
        assertEquals(List.of(2L, 3L, 4L), fillSeqs());
        assertEquals(List.of(price("101"), price("103"), price("104")), fillPrices());
        assertEquals(mover.ts, first.closedTs);
        assertEquals(mover.ts, second.closedTs);
        assertEquals(mover.ts, recorder.fills.get(2).ts());
        assertOrder(second, FILLED, OrderReason.NONE, "0.5", "0");
    }

    @Test
    void shouldQueueNewlyTriggeredStopsBehindThoseAlreadyTriggered()
    {
        establishLastPrice("100");
        final Order third = place(stopMarket(ALICE, BUY, "104", "0.5"));
        final Order first = place(stopMarket(ALICE, BUY, "101", "0.5"));
        final Order second = place(stopMarket(ALICE, BUY, "102", "0.5"));
        place(limit(BOB, SELL, "102", "0.1"));
        place(limit(BOB, SELL, "105", "0.5"));
        place(limit(BOB, SELL, "106", "1"));
        final Order mover = place(limit(CAROL, BUY, "102", "0.1"));

        // The first stop's trade at 105 reaches the third's trigger while the second is still waiting its turn.
        assertEquals(List.of(mover.orderId, first.orderId, second.orderId, third.orderId), takerIds());
        assertEquals(List.of(price("102"), price("105"), price("106"), price("106")), fillPrices());
    }

    @Test
    void shouldRejectATriggeredPostOnlyStopLimitThatWouldTake()
    {
        establishLastPrice("100");
        final Order stop = stopLimit(ALICE, BUY, "101", "102", "0.5");
        stop.postOnly = true;
        place(stop);
        place(limit(BOB, SELL, "101", "0.1"));
        place(limit(BOB, SELL, "102", "1"));
        final Order mover = place(limit(CAROL, BUY, "101", "0.1"));

        assertOrder(stop, REJECTED, POST_ONLY_WOULD_TAKE, "0", "0");
        assertEquals(mover.ts, stop.closedTs);
        assertEquals(new Closed(stop.orderId, REJECTED, POST_ONLY_WOULD_TAKE, 0, mover.ts), lastClosed());
    }

    @Test
    void shouldCancelTheRemainderOfATriggeredIocStopLimit()
    {
        establishLastPrice("100");
        final Order stop = stopLimit(ALICE, BUY, "101", "102", "1");
        stop.tif = TimeInForce.IOC;
        place(stop);
        place(limit(BOB, SELL, "101", "0.1"));
        place(limit(BOB, SELL, "102", "0.3"));
        place(limit(CAROL, BUY, "101", "0.1"));

        assertOrder(stop, CANCELLED, IOC_REMAINDER, "0.3", "0");
    }

    @Test
    void shouldRejectATriggeredFokStopLimitThatCannotFill()
    {
        establishLastPrice("100");
        final Order stop = stopLimit(ALICE, SELL, "99", "98", "1");
        stop.tif = TimeInForce.FOK;
        place(stop);
        place(limit(BOB, BUY, "99", "0.1"));
        place(limit(BOB, BUY, "98", "0.3"));
        place(limit(CAROL, SELL, "99", "0.1"));

        assertOrder(stop, REJECTED, FOK_NOT_FILLABLE, "0", "0");
        assertEquals(qty("0.3"), book.bestQty(BUY));
    }

    @Test
    void shouldCancelATriggeredStopMarketWithoutLiquidity()
    {
        establishLastPrice("100");
        final Order stop = place(stopMarket(ALICE, BUY, "101", "1"));
        place(limit(BOB, SELL, "101", "0.1"));
        final Order mover = place(limit(CAROL, BUY, "101", "0.1"));

        assertOrder(stop, CANCELLED, NO_LIQUIDITY, "0", "0");
        assertEquals(mover.ts, stop.closedTs);
    }

    @Test
    void shouldApplyStpToATriggeredStop()
    {
        establishLastPrice("100");
        final Order stop = place(stopMarket(ALICE, BUY, "101", "1"));
        place(limit(BOB, SELL, "101", "0.1"));
        final Order own = place(limit(ALICE, SELL, "102", "1"));
        place(limit(CAROL, BUY, "101", "0.1"));

        assertOrder(stop, CANCELLED, SELF_TRADE, "0", "0");
        assertOrder(own, NEW, OrderReason.NONE, "0", "1");
    }

    @Test
    void shouldNeverTriggerACancelledStop()
    {
        establishLastPrice("100");
        final Order stop = place(stopMarket(ALICE, BUY, "101", "1"));
        final long ts = ++now;
        book.cancel(stop, ts);

        assertOrder(stop, CANCELLED, USER_CANCEL, "0", "0");
        assertEquals(ts, stop.closedTs);
        assertEquals(List.of(new Closed(stop.orderId, CANCELLED, USER_CANCEL, 0, ts)), recorder.events);

        place(limit(BOB, SELL, "101", "2"));
        place(limit(CAROL, BUY, "101", "1"));
        assertEquals(1, recorder.fills.size());
        assertNull(book.openOrder(stop.orderId));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Cancel

    @Test
    void shouldCancelARestingOrder()
    {
        final Order bid = place(limit(ALICE, BUY, "100", "1"));
        final Order other = place(limit(BOB, BUY, "100", "2"));
        final long ts = ++now;
        book.cancel(bid, ts);

        assertOrder(bid, CANCELLED, USER_CANCEL, "0", "0");
        assertEquals(ts, bid.closedTs);
        assertEquals(List.of(new Closed(bid.orderId, CANCELLED, USER_CANCEL, 0, ts)), recorder.events);
        assertNull(book.openOrder(bid.orderId));
        assertEquals(1, book.openOrderCount());
        assertEquals(qty("2"), book.bestQty(BUY));
        assertEquals(List.of(other.orderId), restingIds(BUY));
    }

    @Test
    void shouldCancelThePartiallyFilledOrderKeepingItsFills()
    {
        final Order ask = place(limit(ALICE, SELL, "100", "1"));
        place(limit(BOB, BUY, "100", "0.4"));
        book.cancel(ask, ++now);

        assertOrder(ask, CANCELLED, USER_CANCEL, "0.4", "0");
        assertEquals(qty("1"), ask.qty);
        assertEquals(Order.NO_PRICE, book.bestPrice(SELL));
    }

    @Test
    void shouldCancelAllOfAnAccountsOpenOrdersOldestFirst()
    {
        establishLastPrice("100");
        final Order bid = place(limit(ALICE, BUY, "99", "1"));
        final Order stop = place(stopMarket(ALICE, SELL, "98", "1"));
        final Order bobs = place(limit(BOB, BUY, "99", "1"));
        final Order ask = place(limit(ALICE, SELL, "101", "1"));
        final Order lower = place(limit(ALICE, BUY, "98", "1"));
        final long ts = ++now;

        assertEquals(4, book.cancelAll(ALICE, ts));
        assertEquals(List.of(
            new Closed(bid.orderId, CANCELLED, USER_CANCEL, 0, ts),
            new Closed(stop.orderId, CANCELLED, USER_CANCEL, 0, ts),
            new Closed(ask.orderId, CANCELLED, USER_CANCEL, 0, ts),
            new Closed(lower.orderId, CANCELLED, USER_CANCEL, 0, ts)), recorder.closed);
        assertEquals(1, book.openOrderCount());
        assertSame(bobs, book.openOrder(bobs.orderId));
        assertEquals(List.of(), openIds(ALICE));
        assertEquals(0, book.cancelAll(ALICE, ++now));
    }

    @Test
    void shouldCancelNothingForAnAccountWithoutOpenOrders()
    {
        place(limit(BOB, BUY, "99", "1"));

        assertEquals(0, book.cancelAll(ALICE, ++now));
        assertTrue(recorder.events.isEmpty());
        assertEquals(1, book.openOrderCount());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Amend

    @Test
    void shouldRefuseToAmendAPendingStop()
    {
        establishLastPrice("100");
        final Order stop = place(stopLimit(ALICE, BUY, "101", "101", "1"));

        assertEquals(PlaceResult.NOT_AMENDABLE, book.amend(stop, qty("2"), Order.NO_PRICE, ++now));
        assertEquals(PlaceResult.NOT_AMENDABLE, book.amend(stop, 0, price("102"), ++now));
        assertOrder(stop, PENDING_TRIGGER, OrderReason.NONE, "0", "1");
        assertEquals(price("101"), stop.price);
    }

    @Test
    void shouldKeepPriorityWhenReducingTheQuantity()
    {
        final Order first = place(limit(ALICE, BUY, "100", "1"));
        final Order second = place(limit(BOB, BUY, "100", "1"));

        assertEquals(PlaceResult.OK, book.amend(first, qty("0.5"), Order.NO_PRICE, ++now));
        assertEquals(List.of(first.orderId, second.orderId), restingIds(BUY));
        assertEquals(qty("0.5"), first.qty);
        assertEquals(qty("0.5"), first.openQty);
        assertEquals(qty("1.5"), book.bestQty(BUY));
        assertEquals(NEW, first.status);

        assertEquals(PlaceResult.OK, book.amend(first, qty("0.2"), price("100"), ++now));
        assertEquals(List.of(first.orderId, second.orderId), restingIds(BUY));
        assertEquals(qty("0.2"), first.qty);

        place(limit(CAROL, SELL, "100", "0.2"));
        assertEquals(List.of(first.orderId), makerIds());
    }

    @Test
    void shouldMoveToTheBackWhenRaisingTheQuantity()
    {
        final Order first = place(limit(ALICE, SELL, "100", "1"));
        final Order second = place(limit(BOB, SELL, "100", "1"));

        assertEquals(PlaceResult.OK, book.amend(first, qty("2"), Order.NO_PRICE, ++now));
        assertEquals(List.of(second.orderId, first.orderId), restingIds(SELL));
        assertEquals(qty("2"), first.qty);
        assertEquals(qty("3"), book.bestQty(SELL));
        assertTrue(recorder.events.isEmpty());
    }

    @Test
    void shouldLeaveAnOrderUntouchedByAnAmendThatChangesNothing()
    {
        final Order first = place(limit(ALICE, BUY, "100", "1"));
        final Order second = place(limit(BOB, BUY, "100", "1"));
        recorder.levelEvents = 0;

        assertEquals(PlaceResult.OK, book.amend(first, 0, Order.NO_PRICE, ++now));
        assertEquals(PlaceResult.OK, book.amend(first, qty("1"), price("100"), ++now));
        assertEquals(List.of(first.orderId, second.orderId), restingIds(BUY));
        assertOrder(first, NEW, OrderReason.NONE, "0", "1");
        assertEquals(0, recorder.levelEvents);
    }

    @Test
    void shouldMoveToTheBackOfTheNewLevelWhenChangingThePrice()
    {
        final Order moving = place(limit(ALICE, BUY, "100", "1"));
        final Order b = place(limit(BOB, BUY, "101", "1"));
        final Order c = place(limit(CAROL, BUY, "101", "1"));

        assertEquals(PlaceResult.OK, book.amend(moving, qty("0.5"), price("101"), ++now));
        assertEquals(List.of(b.orderId, c.orderId, moving.orderId), restingIds(BUY));
        assertEquals(price("101"), moving.price);
        assertEquals(qty("0.5"), moving.qty);
        assertEquals(qty("2.5"), book.bestQty(BUY));
        assertEquals(1, book.forEachLevel(BUY, 10, (price, qty, count) -> { }));
    }

    @Test
    void shouldGoToTheBackWhenMovingBackToTheOldPrice()
    {
        final Order moving = place(limit(ALICE, SELL, "100", "1"));
        final Order other = place(limit(BOB, SELL, "100", "1"));

        assertEquals(PlaceResult.OK, book.amend(moving, 0, price("101"), ++now));
        assertEquals(PlaceResult.OK, book.amend(moving, 0, price("100"), ++now));
        assertEquals(List.of(other.orderId, moving.orderId), restingIds(SELL));
    }

    @Test
    void shouldSetQtyToFilledPlusTheNewOpenQuantity()
    {
        final Order first = place(limit(ALICE, BUY, "100", "1"));
        final Order second = place(limit(BOB, BUY, "100", "1"));
        place(limit(CAROL, SELL, "100", "0.4"));

        assertEquals(PlaceResult.OK, book.amend(first, qty("0.3"), Order.NO_PRICE, ++now));
        assertOrder(first, PARTIALLY_FILLED, OrderReason.NONE, "0.4", "0.3");
        assertEquals(qty("0.7"), first.qty);
        assertEquals(List.of(first.orderId, second.orderId), restingIds(BUY));

        assertEquals(PlaceResult.OK, book.amend(first, qty("1"), Order.NO_PRICE, ++now));
        assertOrder(first, PARTIALLY_FILLED, OrderReason.NONE, "0.4", "1");
        assertEquals(qty("1.4"), first.qty);
        assertEquals(List.of(second.orderId, first.orderId), restingIds(BUY));
    }

    @Test
    void shouldTradeAsATakerWhenTheNewPriceCrosses()
    {
        final Order bid = place(limit(ALICE, BUY, "100", "1"));
        final Order m1 = place(limit(BOB, SELL, "101", "0.4"));
        final Order m2 = place(limit(BOB, SELL, "102", "0.4"));
        place(limit(BOB, SELL, "104", "1"));
        final long ts = ++now;

        assertEquals(PlaceResult.OK, book.amend(bid, 0, price("102"), ts));
        assertEquals(List.of(
            new Fill(1, bid.orderId, m1.orderId, price("101"), qty("0.4"), quote("40.4"),
                baseAmount("0.0008"), quoteAmount("0.0404"), ts),
            new Closed(m1.orderId, FILLED, OrderReason.NONE, qty("0.4"), ts),
            new Fill(2, bid.orderId, m2.orderId, price("102"), qty("0.4"), quote("40.8"),
                baseAmount("0.0008"), quoteAmount("0.0408"), ts),
            new Closed(m2.orderId, FILLED, OrderReason.NONE, qty("0.4"), ts)), recorder.events);
        assertOrder(bid, PARTIALLY_FILLED, OrderReason.NONE, "0.8", "0.2");
        assertEquals(qty("1"), bid.qty);
        assertEquals(price("102"), bid.price);
        assertSame(bid, book.openOrder(bid.orderId));
        assertEquals(price("102"), book.bestPrice(BUY));
        assertEquals(price("104"), book.bestPrice(SELL));
    }

    @Test
    void shouldCloseAnAmendedOrderThatFillsCompletely()
    {
        final Order ask = place(limit(ALICE, SELL, "105", "1"));
        place(limit(BOB, BUY, "104", "0.5"));
        place(limit(BOB, BUY, "103", "2"));
        final long ts = ++now;

        assertEquals(PlaceResult.OK, book.amend(ask, 0, price("103"), ts));
        assertOrder(ask, FILLED, OrderReason.NONE, "1", "0");
        assertEquals(ts, ask.closedTs);
        assertEquals(new Closed(ask.orderId, FILLED, OrderReason.NONE, qty("1"), ts), lastClosed());
        assertNull(book.openOrder(ask.orderId));
        assertEquals(Order.NO_PRICE, book.bestPrice(SELL));
    }

    @Test
    void shouldRefuseToAmendAPostOnlyOrderToAPriceThatWouldTake()
    {
        final Order bid = limit(ALICE, BUY, "100", "1");
        bid.postOnly = true;
        place(bid);
        final Order behind = place(limit(BOB, BUY, "100", "1"));
        place(limit(CAROL, SELL, "101", "1"));

        assertEquals(PlaceResult.POST_ONLY_WOULD_TAKE, book.amend(bid, qty("2"), price("101"), ++now));
        assertOrder(bid, NEW, OrderReason.NONE, "0", "1");
        assertEquals(price("100"), bid.price);
        assertEquals(qty("1"), bid.qty);
        assertEquals(List.of(bid.orderId, behind.orderId), restingIds(BUY));
        assertTrue(recorder.events.isEmpty());

        assertEquals(PlaceResult.OK, book.amend(bid, 0, price("100.99"), ++now));
        assertEquals(price("100.99"), book.bestPrice(BUY));
    }

    @Test
    void shouldApplyStpWhenAnAmendedPriceCrossesOwnOrders()
    {
        final Order bid = place(limit(ALICE, BUY, "100", "1"));
        final Order own = place(limit(ALICE, SELL, "101", "1"));
        final long ts = ++now;

        assertEquals(PlaceResult.OK, book.amend(bid, 0, price("101"), ts));
        assertOrder(bid, CANCELLED, SELF_TRADE, "0", "0");
        assertEquals(ts, bid.closedTs);
        assertOrder(own, NEW, OrderReason.NONE, "0", "1");
        assertEquals(1, book.openOrderCount());
    }

    @Test
    void shouldTriggerStopsWhenAnAmendTrades()
    {
        establishLastPrice("100");
        final Order stop = place(stopMarket(CAROL, BUY, "101", "0.5"));
        place(limit(BOB, SELL, "101", "0.5"));
        place(limit(BOB, SELL, "103", "1"));
        final Order bid = place(limit(ALICE, BUY, "99", "0.5"));
        final long ts = ++now;

        assertEquals(PlaceResult.OK, book.amend(bid, 0, price("101"), ts));
        assertOrder(bid, FILLED, OrderReason.NONE, "0.5", "0");
        assertOrder(stop, FILLED, OrderReason.NONE, "0.5", "0");
        assertEquals(List.of(bid.orderId, stop.orderId), takerIds());
        assertEquals(price("103"), book.lastTradePrice());
        assertEquals(ts, stop.closedTs);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Queries

    @Test
    void shouldVisitAnAccountsOpenOrdersOldestFirst()
    {
        establishLastPrice("100");
        final Order a = place(limit(ALICE, SELL, "105", "1"));
        place(limit(BOB, BUY, "98", "1"));
        final Order b = place(stopMarket(ALICE, BUY, "102", "1"));
        final Order c = place(limit(ALICE, BUY, "99", "1"));
        final Order d = place(limit(ALICE, SELL, "104", "1"));

        assertEquals(List.of(a.orderId, b.orderId, c.orderId, d.orderId), openIds(ALICE));
        assertEquals(5, book.openOrderCount());
    }

    @Test
    void shouldVisitRestingOrdersInPriorityOrder()
    {
        final Order a = place(limit(ALICE, BUY, "99", "1"));
        final Order b = place(limit(BOB, BUY, "100", "1"));
        final Order c = place(limit(CAROL, BUY, "99", "1"));
        final Order d = place(limit(DAVE, BUY, "101", "1"));
        final Order e = place(limit(ALICE, SELL, "103", "1"));
        final Order f = place(limit(BOB, SELL, "102", "1"));
        final Order g = place(limit(CAROL, SELL, "103", "1"));

        assertEquals(List.of(d.orderId, b.orderId, a.orderId, c.orderId), restingIds(BUY));
        assertEquals(List.of(f.orderId, e.orderId, g.orderId), restingIds(SELL));
    }

    @Test
    void shouldAggregateLevelsBestFirst()
    {
        place(limit(ALICE, BUY, "99", "1"));
        place(limit(BOB, BUY, "100", "0.5"));
        place(limit(CAROL, BUY, "99", "2"));
        place(limit(DAVE, BUY, "98", "3"));
        place(limit(ALICE, SELL, "101", "0.1"));

        final List<List<Long>> levels = new ArrayList<>();
        final int count = book.forEachLevel(
            BUY, 2, (price, qty, orders) -> levels.add(List.of(price, qty, (long)orders)));
        assertEquals(2, count);
        assertEquals(List.of(
            List.of(price("100"), qty("0.5"), 1L),
            List.of(price("99"), qty("3"), 2L)), levels);
        assertEquals(3, book.forEachLevel(BUY, 10, (price, qty, orders) -> { }));
        assertEquals(0, book.forEachLevel(BUY, 0, (price, qty, orders) -> { }));
        assertEquals(price("100"), book.bestPrice(BUY));
        assertEquals(qty("0.5"), book.bestQty(BUY));
        assertEquals(qty("0.1"), book.bestQty(SELL));
    }

    @Test
    void shouldReportLevelChangesAsTheyHappen()
    {
        place(limit(ALICE, BUY, "99", "1"));
        assertEquals(Map.of(price("99"), List.of(qty("1"), 1L)), recorder.mirror(BUY));
        final Order second = place(limit(BOB, BUY, "99", "2"));
        assertEquals(Map.of(price("99"), List.of(qty("3"), 2L)), recorder.mirror(BUY));
        place(limit(CAROL, SELL, "99", "1.5"));
        assertEquals(Map.of(price("99"), List.of(qty("1.5"), 1L)), recorder.mirror(BUY));
        book.cancel(second, ++now);
        assertEquals(Map.of(), recorder.mirror(BUY));
        assertEquals(Map.of(), recorder.mirror(SELL));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    private void usePair(final PairSpec pair)
    {
        spec = pair;
        recorder.reset();
        book = newBook(pair, recorder);
    }

    /** Trades a single lot at the price between two accounts the tests do not otherwise use, then forgets it. */
    private void establishLastPrice(final String tradePrice)
    {
        place(limit(98, SELL, tradePrice, "0.0001"));
        place(limit(99, BUY, tradePrice, "0.0001"));
        assertEquals(price(tradePrice), book.lastTradePrice());
        recorder.clearEvents();
    }

    private Order newOrder(final int account, final Side side, final OrderType type)
    {
        final Order order = new Order().reset();
        order.orderId = nextOrderId++;
        order.accountId = account;
        order.side = side;
        order.type = type;
        order.ts = ++now;
        return order;
    }

    private Order limit(final int account, final Side side, final String limitPrice, final String quantity)
    {
        final Order order = newOrder(account, side, OrderType.LIMIT);
        order.price = price(limitPrice);
        order.qty = qty(quantity);
        return order;
    }

    private Order market(final int account, final Side side, final String quantity)
    {
        final Order order = newOrder(account, side, OrderType.MARKET);
        order.qty = qty(quantity);
        return order;
    }

    private Order marketBudget(final int account, final String budget)
    {
        final Order order = newOrder(account, BUY, OrderType.MARKET);
        order.quoteBudget = quote(budget);
        return order;
    }

    private Order stopLimit(
        final int account, final Side side, final String trigger, final String limitPrice, final String quantity)
    {
        final Order order = newOrder(account, side, OrderType.STOP_LIMIT);
        order.stopPrice = price(trigger);
        order.price = price(limitPrice);
        order.qty = qty(quantity);
        return order;
    }

    private Order stopMarket(final int account, final Side side, final String trigger, final String quantity)
    {
        final Order order = newOrder(account, side, OrderType.STOP_MARKET);
        order.stopPrice = price(trigger);
        order.qty = qty(quantity);
        return order;
    }

    private Order place(final Order order)
    {
        assertEquals(PlaceResult.OK, book.place(order), () -> "place " + order);
        return order;
    }

    private long price(final String value)
    {
        return parse(value, spec.priceScale());
    }

    private long qty(final String value)
    {
        return parse(value, spec.qtyScale());
    }

    /** A quote amount ({@code price × qty}) at the pair's notional scale. */
    private long quote(final String value)
    {
        return parse(value, spec.notionalScale());
    }

    /** A fee charged in base, at the base asset's precision. */
    private long baseAmount(final String value)
    {
        return parse(value, spec.baseScale());
    }

    /** A fee charged in quote, at the quote asset's precision. */
    private long quoteAmount(final String value)
    {
        return parse(value, spec.quoteScale());
    }

    private static long parse(final String value, final int scale)
    {
        final long units = Decimal.parse(value, scale);
        assertTrue(units >= 0, () -> value + " at scale " + scale);
        return units;
    }

    private void assertOrder(
        final Order order, final OrderStatus status, final OrderReason reason, final String filled, final String open)
    {
        assertEquals(status, order.status, () -> "status of " + order);
        assertEquals(reason, order.reason, () -> "reason of " + order);
        assertEquals(qty(filled), order.filledQty, () -> "filledQty of " + order);
        assertEquals(qty(open), order.openQty, () -> "openQty of " + order);
    }

    private Closed lastClosed()
    {
        return recorder.closed.get(recorder.closed.size() - 1);
    }

    private List<Long> makerIds()
    {
        return recorder.fills.stream().map(Fill::makerId).toList();
    }

    private List<Long> takerIds()
    {
        return recorder.fills.stream().map(Fill::takerId).toList();
    }

    private List<Long> fillPrices()
    {
        return recorder.fills.stream().map(Fill::price).toList();
    }

    private List<Long> fillQtys()
    {
        return recorder.fills.stream().map(Fill::qty).toList();
    }

    private List<Long> fillSeqs()
    {
        return recorder.fills.stream().map(Fill::seq).toList();
    }

    private List<Long> restingIds(final Side side)
    {
        final List<Long> ids = new ArrayList<>();
        book.forEachRestingOrder(side, order -> ids.add(order.orderId));
        return ids;
    }

    private List<Long> pendingIds(final Side side)
    {
        final List<Long> ids = new ArrayList<>();
        book.forEachPendingStop(side, order -> ids.add(order.orderId));
        return ids;
    }

    private List<Long> openIds(final int account)
    {
        final List<Long> ids = new ArrayList<>();
        book.forEachOpenOrder(account, order -> ids.add(order.orderId));
        return ids;
    }

    private void assertInvariants()
    {
        int resting = 0;
        for (final Side side : Side.values())
        {
            final List<Order> orders = new ArrayList<>();
            book.forEachRestingOrder(side, orders::add);
            resting += orders.size();
            final Map<Long, List<Long>> expectedLevels = new TreeMap<>();
            long previousPrice = Order.NO_PRICE;
            for (final Order order : orders)
            {
                assertTrue(order.openQty > 0, () -> "resting with nothing open: " + order);
                assertEquals(order.qty, order.filledQty + order.openQty, () -> "qty of " + order);
                assertEquals(order.filledQty > 0 ? PARTIALLY_FILLED : NEW, order.status, () -> "status of " + order);
                final long previous = previousPrice;
                assertTrue(previous == Order.NO_PRICE ||
                    (side == BUY ? order.price <= previous : order.price >= previous), () -> "order of " + order);
                previousPrice = order.price;
                assertSame(order, book.openOrder(order.orderId));
                expectedLevels.merge(order.price, List.of(order.openQty, 1L),
                    (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)));
            }

            final Map<Long, List<Long>> levels = new TreeMap<>();
            final List<Long> levelPrices = new ArrayList<>();
            book.forEachLevel(side, Integer.MAX_VALUE, (price, qty, count) ->
            {
                levels.put(price, List.of(qty, (long)count));
                levelPrices.add(price);
            });
            assertEquals(expectedLevels, levels, () -> side + " levels");
            assertEquals(expectedLevels, recorder.mirror(side), () -> side + " levels reported to the listener");
            assertEquals(orders.isEmpty() ? Order.NO_PRICE : orders.get(0).price, book.bestPrice(side));
            assertEquals(levelPrices.isEmpty() ? 0 : levels.get(levelPrices.get(0)).get(0), book.bestQty(side));
        }

        final long bestBid = book.bestPrice(BUY);
        final long bestAsk = book.bestPrice(SELL);
        assertTrue(bestBid == Order.NO_PRICE || bestAsk == Order.NO_PRICE || bestBid < bestAsk, "book crossed");

        final List<Order> pending = new ArrayList<>();
        book.forEachPendingStop(BUY, pending::add);
        book.forEachPendingStop(SELL, pending::add);
        for (final Order stop : pending)
        {
            assertEquals(PENDING_TRIGGER, stop.status, () -> "status of " + stop);
            assertEquals(stop.qty, stop.openQty, () -> "openQty of " + stop);
            assertTrue(stop.side == BUY ? stop.stopPrice > book.lastTradePrice() :
                stop.stopPrice < book.lastTradePrice(), () -> "reached stop still pending: " + stop);
        }
        assertEquals(resting + pending.size(), book.openOrderCount());

        int open = 0;
        for (final int account : ACCOUNTS)
        {
            open += openIds(account).size();
        }
        assertTrue(open <= book.openOrderCount());

        for (int i = 0; i < recorder.allFills.size(); i++)
        {
            assertEquals(i + 1, recorder.allFills.get(i).seq(), "fill sequence has a gap");
        }
        assertEquals(recorder.allFills.size(), book.lastFillSeq());
        for (final Closed closed : recorder.closed)
        {
            assertNull(book.openOrder(closed.orderId()), () -> "closed but open: " + closed);
        }
    }

    /** One trade as the listener saw it. */
    record Fill(
        long seq, long takerId, long makerId, long price, long qty, long quote, long takerFee, long makerFee, long ts)
    {
    }

    /** One closed order as the listener saw it, at the moment it closed. */
    record Closed(long orderId, OrderStatus status, OrderReason reason, long filledQty, long closedTs)
    {
    }

    /** Keeps what the book reported: trades and closed orders since the last clear, and the levels it announced. */
    static final class Recorder implements BookListener
    {
        final List<Object> events = new ArrayList<>();
        final List<Fill> fills = new ArrayList<>();
        final List<Closed> closed = new ArrayList<>();
        final List<Fill> allFills = new ArrayList<>();
        final Map<Side, TreeMap<Long, List<Long>>> levels = Map.of(BUY, new TreeMap<>(), SELL, new TreeMap<>());
        int levelEvents;

        public void onTrade(
            final long fillSeq, final Order taker, final Order maker, final long price, final long qty,
            final long quoteQty, final long takerFee, final long makerFee, final long ts)
        {
            final Fill fill = new Fill(
                fillSeq, taker.orderId, maker.orderId, price, qty, quoteQty, takerFee, makerFee, ts);
            events.add(fill);
            fills.add(fill);
            allFills.add(fill);
        }

        public void onOrderClosed(final Order order)
        {
            assertTrue(order.status.isTerminal(), () -> "closed while not terminal: " + order);
            assertEquals(0, order.openQty, () -> "closed with open quantity: " + order);
            final Closed event = new Closed(order.orderId, order.status, order.reason, order.filledQty, order.closedTs);
            events.add(event);
            closed.add(event);
        }

        public void onLevelChanged(final Side side, final long price, final long qty, final int orderCount)
        {
            levelEvents++;
            if (qty == 0)
            {
                levels.get(side).remove(price);
            }
            else
            {
                levels.get(side).put(price, List.of(qty, (long)orderCount));
            }
        }

        Map<Long, List<Long>> mirror(final Side side)
        {
            return levels.get(side);
        }

        void clearEvents()
        {
            events.clear();
            fills.clear();
            closed.clear();
        }

        void reset()
        {
            clearEvents();
            allFills.clear();
            levels.get(BUY).clear();
            levels.get(SELL).clear();
            levelEvents = 0;
        }
    }
}
