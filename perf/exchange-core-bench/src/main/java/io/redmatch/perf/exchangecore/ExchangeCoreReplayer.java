package io.redmatch.perf.exchangecore;

import exchange.core2.collections.objpool.ObjectsPool;
import exchange.core2.core.common.CoreSymbolSpecification;
import exchange.core2.core.common.MatcherEventType;
import exchange.core2.core.common.MatcherTradeEvent;
import exchange.core2.core.common.OrderAction;
import exchange.core2.core.common.OrderType;
import exchange.core2.core.common.SymbolType;
import exchange.core2.core.common.cmd.CommandResultCode;
import exchange.core2.core.common.cmd.OrderCommand;
import exchange.core2.core.common.cmd.OrderCommandType;
import exchange.core2.core.common.config.LoggingConfiguration;
import exchange.core2.core.orderbook.IOrderBook;
import exchange.core2.core.orderbook.OrderBookDirectImpl;
import exchange.core2.core.orderbook.OrderBookEventsHelper;
import io.redmatch.perf.flow.FillTally;
import io.redmatch.perf.flow.FlowOp;
import io.redmatch.perf.flow.OrderFlow;
import io.redmatch.perf.replay.FlowReplayer;

import java.util.HashMap;
import java.util.Map;

/**
 * Replays an {@link OrderFlow} into exchange-core 0.5.3's {@link OrderBookDirectImpl} alone: no ring buffer, risk
 * engine or journalling, just the order book as its matching engine calls it, with one reused {@link OrderCommand}
 * and an {@link ObjectsPool} sized like exchange-core's production configuration so orders, buckets and radix-tree
 * nodes are recycled.
 * <p>
 * The book reports what it did as a chain of {@link MatcherTradeEvent}s on the command, which exchange-core's own
 * pipeline walks afterwards; this replayer walks it after each operation too, feeding trades into the
 * {@link FillTally} as our replayer does from its listener. Version 0.5.3 creates a new event object per event (its
 * {@link OrderBookEventsHelper} ignores the supplier it is given), which is part of what is measured.
 * <p>
 * Mapping: a flow account is the {@code uid}; a bid's {@code reserveBidPrice} is the flow's highest price, so a move
 * is never refused by the check that stands in for the risk engine's hold; a reduce sends the amount to take off.
 */
final class ExchangeCoreReplayer implements FlowReplayer
{
    private static final int SYMBOL_ID = 1;
    private static final int BASE_CURRENCY = 1;
    private static final int QUOTE_CURRENCY = 2;

    private final OrderFlow flow;
    private final CoreSymbolSpecification symbolSpec;
    private final ObjectsPool objectsPool;
    private final OrderBookEventsHelper eventsHelper = OrderBookEventsHelper.NON_POOLED_EVENTS_HELPER;
    private final OrderCommand command = new OrderCommand();
    private final FillTally tally = new FillTally();
    private final long reserveBidPrice;
    private IOrderBook book;
    private long failedOps;

    ExchangeCoreReplayer(final OrderFlow flow)
    {
        this.flow = flow;
        this.reserveBidPrice = flow.maxPrice();
        this.symbolSpec = CoreSymbolSpecification.builder()
            .symbolId(SYMBOL_ID)
            .type(SymbolType.CURRENCY_EXCHANGE_PAIR)
            .baseCurrency(BASE_CURRENCY)
            .quoteCurrency(QUOTE_CURRENCY)
            .baseScaleK(1)
            .quoteScaleK(1)
            .takerFee(0)
            .makerFee(0)
            .build();
        this.objectsPool = productionSizedPool();
        command.symbol = SYMBOL_ID;
    }

    /** Pool capacities as exchange-core's matching engine configures them for each shard. */
    private static ObjectsPool productionSizedPool()
    {
        final Map<Integer, Integer> capacities = new HashMap<>();
        capacities.put(ObjectsPool.DIRECT_ORDER, 1024 * 1024);
        capacities.put(ObjectsPool.DIRECT_BUCKET, 1024 * 64);
        capacities.put(ObjectsPool.ART_NODE_4, 1024 * 32);
        capacities.put(ObjectsPool.ART_NODE_16, 1024 * 16);
        capacities.put(ObjectsPool.ART_NODE_48, 1024 * 8);
        capacities.put(ObjectsPool.ART_NODE_256, 1024 * 4);
        return new ObjectsPool(capacities);
    }

    public String engine()
    {
        return "exchange-core";
    }

    public String implementation()
    {
        return "OrderBookDirectImpl";
    }

    public void beginPass()
    {
        book = new OrderBookDirectImpl(symbolSpec, objectsPool, eventsHelper, LoggingConfiguration.DEFAULT);
        tally.reset();
        failedOps = 0;
    }

    public void apply(final int index)
    {
        final OrderFlow flow = this.flow;
        final OrderCommand command = this.command;
        command.matcherEvent = null;
        command.orderId = flow.orderId(index);
        command.uid = flow.accountId(index);
        command.timestamp = index;
        final CommandResultCode result;
        switch (flow.op(index))
        {
            case FlowOp.PLACE_GTC:
                result = place(command, index, OrderType.GTC);
                break;
            case FlowOp.PLACE_IOC:
                result = place(command, index, OrderType.IOC);
                break;
            case FlowOp.CANCEL:
                command.command = OrderCommandType.CANCEL_ORDER;
                result = book.cancelOrder(command);
                break;
            case FlowOp.MOVE:
                command.command = OrderCommandType.MOVE_ORDER;
                command.price = flow.price(index);
                result = book.moveOrder(command);
                break;
            default:
                command.command = OrderCommandType.REDUCE_ORDER;
                command.size = flow.qty(index);
                result = book.reduceOrder(command);
                break;
        }
        if (result != CommandResultCode.SUCCESS)
        {
            failedOps++;
        }
        tallyTrades(command);
    }

    private CommandResultCode place(final OrderCommand command, final int index, final OrderType orderType)
    {
        command.command = OrderCommandType.PLACE_ORDER;
        command.orderType = orderType;
        final boolean buy = flow.side(index) == OrderFlow.BUY;
        command.action = buy ? OrderAction.BID : OrderAction.ASK;
        command.price = flow.price(index);
        command.reserveBidPrice = buy ? reserveBidPrice : 0;
        command.size = flow.qty(index);
        book.newOrder(command);
        return CommandResultCode.SUCCESS;
    }

    private void tallyTrades(final OrderCommand command)
    {
        final long takerOrderId = command.orderId;
        for (MatcherTradeEvent event = command.matcherEvent; event != null; event = event.nextEvent)
        {
            if (event.eventType == MatcherEventType.TRADE)
            {
                tally.onFill(takerOrderId, event.matchedOrderId, event.price, event.size);
            }
        }
    }

    public void endPass()
    {
        book = null;
    }

    public FillTally tally()
    {
        return tally;
    }

    public int openOrderCount()
    {
        return book.getOrdersNum(OrderAction.ASK) + book.getOrdersNum(OrderAction.BID);
    }

    public long failedOps()
    {
        return failedOps;
    }
}
