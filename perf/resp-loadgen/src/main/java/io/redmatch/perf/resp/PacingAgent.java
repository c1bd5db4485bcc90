package io.redmatch.perf.resp;

import io.netty.channel.EventLoop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends the load at its fixed rate, open loop: request {@code i} is due at {@code start + i / rate}, whatever the
 * replies do, and goes out on connection {@code i mod N}. Runs on the event loop that also reads the replies, woken
 * by the loop's timer (epoll's timerfd has microsecond resolution): each round sends every request that fell due,
 * then sleeps until the next one is due, but at least the tick, so high rates go out in small batches rather than
 * one wake-up per request.
 * <p>
 * The run ends when every request was sent and answered, or when the drain time after the last send ran out, or
 * at once when a connection fails. If more than the allowed requests wait for replies, the target cannot keep up:
 * sending stops there and the run reports itself saturated.
 */
final class PacingAgent implements Runnable, LoadConnection.LoadListener
{
    private static final long DRAIN_POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final EventLoop eventLoop;
    private final LoadConnection[] connections;
    private final RequestEncoder encoder;
    private final LatencyRecorder recorder;
    private final long startNs;
    private final long rate;
    private final long tickNs;
    private final long maxOutstanding;
    private final long drainNs;
    private final CompletableFuture<String> completion = new CompletableFuture<>();
    private final boolean[] dirty;
    private long totalRequests;
    private long nextRequest;
    private long drainDeadlineNs;
    private boolean saturated;

    PacingAgent(
        final EventLoop eventLoop,
        final LoadConnection[] connections,
        final RequestEncoder encoder,
        final LatencyRecorder recorder,
        final long startNs,
        final LoadContext context)
    {
        this.eventLoop = eventLoop;
        this.connections = connections;
        this.encoder = encoder;
        this.recorder = recorder;
        this.startNs = startNs;
        this.rate = context.rate();
        this.tickNs = TimeUnit.MICROSECONDS.toNanos(context.tickMicros());
        this.maxOutstanding = context.maxOutstanding();
        this.drainNs = TimeUnit.SECONDS.toNanos(context.drainSeconds());
        this.totalRequests = context.totalRequests();
        this.dirty = new boolean[connections.length];
    }

    /**
     * Completes when the run is over: with null when it ran its course, or with why it stopped early.
     *
     * @return the run's completion.
     */
    CompletableFuture<String> completion()
    {
        return completion;
    }

    /** @return true when sending stopped because too many requests waited for replies. */
    boolean saturated()
    {
        return saturated;
    }

    /** Starts sending at the start time; call on the event loop. */
    void start()
    {
        scheduleAt(startNs, System.nanoTime());
    }

    @Override
    public void run()
    {
        if (completion.isDone())
        {
            return;
        }
        final long nowNs = System.nanoTime();
        doWork(nowNs);
        if (nextRequest < totalRequests)
        {
            scheduleAt(Math.max(intendedNs(nextRequest), nowNs + tickNs), nowNs);
        }
        else if (recorder.outstanding() == 0)
        {
            completion.complete(saturated ? "saturated: more than " + maxOutstanding + " requests waited" : null);
        }
        else
        {
            if (drainDeadlineNs == 0)
            {
                drainDeadlineNs = nowNs + drainNs;
            }
            if (nowNs - drainDeadlineNs >= 0)
            {
                completion.complete(recorder.outstanding() + " requests still unanswered " +
                    TimeUnit.NANOSECONDS.toSeconds(drainNs) + " s after the last was sent");
            }
            else
            {
                scheduleAt(nowNs + DRAIN_POLL_NS, nowNs);
            }
        }
    }

    /**
     * Sends every request due by {@code nowNs}.
     *
     * @param nowNs now, {@link System#nanoTime()} clock.
     * @return how many requests were sent.
     */
    int doWork(final long nowNs)
    {
        int sent = 0;
        while (nextRequest < totalRequests && intendedNs(nextRequest) - nowNs <= 0)
        {
            if (recorder.outstanding() >= maxOutstanding)
            {
                saturated = true;
                totalRequests = nextRequest;
                break;
            }
            final int connection = (int)(nextRequest % connections.length);
            connections[connection].send(nextRequest, intendedNs(nextRequest), nowNs, encoder);
            dirty[connection] = true;
            nextRequest++;
            sent++;
        }
        for (int i = 0; i < connections.length; i++)
        {
            if (dirty[i])
            {
                dirty[i] = false;
                connections[i].flushRound();
            }
        }
        return sent;
    }

    @Override
    public void onConnectionFailed(final LoadConnection connection, final String reason)
    {
        completion.complete("connection " + connection.index() + " failed: " + reason);
    }

    private long intendedNs(final long request)
    {
        return startNs + request * 1_000_000_000L / rate;
    }

    private void scheduleAt(final long deadlineNs, final long nowNs)
    {
        eventLoop.schedule(this, Math.max(0, deadlineNs - nowNs), TimeUnit.NANOSECONDS);
    }
}
