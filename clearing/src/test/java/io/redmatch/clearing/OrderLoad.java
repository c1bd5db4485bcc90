package io.redmatch.clearing;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.util.SafeEncoder;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Several Jedis clients pipelining crossing limit orders of a few accounts on the pairs in {@link #pairs}, around one
 * price, so most orders trade. Bounded: it stops when told, or after {@code maxOrders} orders.
 */
final class OrderLoad implements AutoCloseable
{
    static final String[] ACCOUNTS = { "alice", "bob", "carol", "dave", "erin", "frank" };

    final List<String> pairs = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong orders = new AtomicLong();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile boolean engineLossExpected;

    OrderLoad(final int enginePort, final int clients, final long seed, final long maxOrders, final int pipeline,
        final long pauseMillis, final List<String> initialPairs)
    {
        pairs.addAll(initialPairs);
        for (int c = 0; c < clients; c++)
        {
            final Random random = new Random(seed + c);
            final Thread thread = new Thread(() ->
            {
                try (Jedis jedis = new Jedis("127.0.0.1", enginePort))
                {
                    while (running.get() && orders.get() < maxOrders)
                    {
                        final Pipeline batch = jedis.pipelined();
                        for (int i = 0; i < pipeline; i++)
                        {
                            final String pair = pairs.get(random.nextInt(pairs.size()));
                            final String price = String.format("%d.%02d", 99 + random.nextInt(2),
                                random.nextInt(100));
                            final String qty = "0." + String.format("%03d", 1 + random.nextInt(50));
                            batch.sendCommand(() -> SafeEncoder.encode("ORDER.PLACE"), pair,
                                random.nextBoolean() ? "BUY" : "SELL", "ACCOUNT",
                                ACCOUNTS[random.nextInt(ACCOUNTS.length)], "QTY", qty, "PRICE", price,
                                "STP", "NONE");
                        }
                        batch.sync();
                        orders.addAndGet(pipeline);
                        if (pauseMillis > 0)
                        {
                            Thread.sleep(pauseMillis);
                        }
                    }
                }
                catch (final RuntimeException ex)
                {
                    failures.add(ex);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, "order-load-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    long orders()
    {
        return orders.get();
    }

    /** The engine is about to be killed under this load: its clients' connection errors are expected from now on. */
    void expectEngineLoss()
    {
        engineLossExpected = true;
    }

    @Override
    public void close() throws InterruptedException
    {
        running.set(false);
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (!failures.isEmpty() && !engineLossExpected)
        {
            throw new AssertionError("order load failed: " + failures.get(0), failures.get(0));
        }
    }
}
