package io.redmatch.perf.flow;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ModelBookTest
{
    @Test
    void takerTradesAtMakerPricesBestPriceThenOldestFirst()
    {
        final ModelBook book = new ModelBook();
        book.place(1, 1, OrderFlow.SELL, 101, 5, false);
        book.place(2, 2, OrderFlow.SELL, 100, 5, false);
        book.place(3, 3, OrderFlow.SELL, 100, 5, false);
        book.place(4, 4, OrderFlow.BUY, 101, 12, false);

        final FillTally expected = new FillTally();
        expected.onFill(4, 2, 100, 5);
        expected.onFill(4, 3, 100, 5);
        expected.onFill(4, 1, 101, 2);
        assertTally(expected, book.tally());
        assertEquals(1, book.openOrderCount());
        assertEquals(101, book.bestAsk());
        assertEquals(0, book.bestBid());
    }

    @Test
    void immediateOrCancelRemainderDoesNotRest()
    {
        final ModelBook book = new ModelBook();
        book.place(1, 1, OrderFlow.SELL, 100, 3, false);
        book.place(2, 2, OrderFlow.BUY, 100, 10, true);
        assertEquals(0, book.openOrderCount());
        assertEquals(1, book.tally().fills());
    }

    @Test
    void moveGoesToTheBackOfItsNewLevelAndTradesWhenItCrosses()
    {
        final ModelBook book = new ModelBook();
        book.place(1, 1, OrderFlow.BUY, 99, 5, false);
        book.place(2, 2, OrderFlow.BUY, 98, 5, false);
        book.move(orderWithId(book, 1), 98);
        book.place(3, 3, OrderFlow.SELL, 90, 6, false);
        book.place(4, 4, OrderFlow.SELL, 102, 4, false);
        book.move(orderWithId(book, 4), 98);

        final FillTally expected = new FillTally();
        expected.onFill(3, 2, 98, 5);
        expected.onFill(3, 1, 98, 1);
        expected.onFill(4, 1, 98, 4);
        assertTally(expected, book.tally());
        assertEquals(0, book.openOrderCount());
    }

    @Test
    void reduceKeepsTimePriority()
    {
        final ModelBook book = new ModelBook();
        book.place(1, 1, OrderFlow.SELL, 100, 5, false);
        book.place(2, 2, OrderFlow.SELL, 100, 5, false);
        book.reduce(orderWithId(book, 1), 4);
        book.place(3, 3, OrderFlow.BUY, 100, 2, false);

        final FillTally expected = new FillTally();
        expected.onFill(3, 1, 100, 1);
        expected.onFill(3, 2, 100, 1);
        assertTally(expected, book.tally());
    }

    private static ModelBook.ModelOrder orderWithId(final ModelBook book, final long orderId)
    {
        for (int i = 0; i < book.openOrderCount(); i++)
        {
            if (book.openOrderAt(i).orderId == orderId)
            {
                return book.openOrderAt(i);
            }
        }
        throw new AssertionError("no open order " + orderId);
    }

    private static void assertTally(final FillTally expected, final FillTally actual)
    {
        assertEquals(expected.toString(), actual.toString());
    }
}
