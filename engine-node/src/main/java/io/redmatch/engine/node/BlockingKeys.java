package io.redmatch.engine.node;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The connections blocked by a {@link BlockedCommand}, by the keys they wait on, and the keys signalled since they
 * were last served.
 * <p>
 * {@link #signal(String)} only notes the key, so a command that appends to a stream never runs another connection's
 * code in the middle of its own; the waiters are served in a task of their own on the event loop, in the order they
 * blocked (FIFO per key, as Redis serves them). Signalling a key nobody waits on costs one map lookup, and nothing
 * when no connection is blocked at all.
 */
public final class BlockingKeys
{
    private final Map<String, ArrayDeque<Connection>> waitersByKey = new HashMap<>();
    private final Map<Connection, Waiting> waitingByConnection = new IdentityHashMap<>();
    private final LinkedHashSet<String> readyKeys = new LinkedHashSet<>();
    private final ArrayList<Connection> serving = new ArrayList<>();
    private final Runnable serveTask = this::serveReadyKeys;
    private boolean serveScheduled;
    private EventExecutor executor;

    BlockingKeys()
    {
    }

    /**
     * Notes that {@code key} changed, e.g. a stream got entries or its committed position advanced; connections
     * blocked on it are served after the current task. Cheap enough to call for every write.
     *
     * @param key the key, e.g. {@code "fills:BTC-USDT"}.
     */
    public void signal(final String key)
    {
        if (waitingByConnection.isEmpty())
        {
            return;
        }
        final EventExecutor eventLoop = executor;
        if (!eventLoop.inEventLoop())
        {
            eventLoop.execute(() -> signal(key));
            return;
        }
        if (!waitersByKey.containsKey(key))
        {
            return;
        }
        readyKeys.add(key);
        if (!serveScheduled)
        {
            serveScheduled = true;
            eventLoop.execute(serveTask);
        }
    }

    /** @return the number of blocked connections. */
    public int blockedCount()
    {
        return waitingByConnection.size();
    }

    /** @return true when some connection waits on {@code key}. */
    public boolean hasWaiters(final String key)
    {
        return waitersByKey.containsKey(key);
    }

    void block(final Connection connection, final String[] keys, final long timeoutMillis)
    {
        // the connection's executor is the node's event loop (an embedded one in codec tests)
        executor = connection.handler().executor();
        final Waiting waiting = new Waiting(keys.clone());
        for (final String key : keys)
        {
            waitersByKey.computeIfAbsent(key, (k) -> new ArrayDeque<>()).add(connection);
        }
        if (timeoutMillis > 0)
        {
            waiting.timeout = executor.schedule(() -> timeout(connection), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        waitingByConnection.put(connection, waiting);
    }

    /** The connection closed: forget it and tell its command. */
    void abort(final Connection connection)
    {
        final BlockedCommand command = connection.blockedCommand();
        if (remove(connection) && command != null)
        {
            connection.clearBlockedCommand();
            command.onAbort(connection);
        }
    }

    private void timeout(final Connection connection)
    {
        final BlockedCommand command = connection.blockedCommand();
        if (!remove(connection) || command == null)
        {
            return;
        }
        command.onTimeout(connection, connection.writer());
        connection.unblocked();
    }

    private void serveReadyKeys()
    {
        serveScheduled = false;
        while (!readyKeys.isEmpty())
        {
            final String key = readyKeys.iterator().next();
            readyKeys.remove(key);
            final ArrayDeque<Connection> waiters = waitersByKey.get(key);
            if (waiters == null)
            {
                continue;
            }
            // a served command may block or signal again: work on a snapshot of who waited when the key was served
            serving.clear();
            serving.addAll(waiters);
            for (int i = 0, size = serving.size(); i < size; i++)
            {
                final Connection connection = serving.get(i);
                final BlockedCommand command = connection.blockedCommand();
                if (command == null || !waitingByConnection.containsKey(connection))
                {
                    continue;
                }
                if (command.onSignal(connection, key, connection.writer()))
                {
                    remove(connection);
                    connection.unblocked();
                }
            }
            serving.clear();
        }
    }

    private boolean remove(final Connection connection)
    {
        final Waiting waiting = waitingByConnection.remove(connection);
        if (waiting == null)
        {
            return false;
        }
        if (waiting.timeout != null)
        {
            waiting.timeout.cancel(false);
        }
        for (final String key : waiting.keys)
        {
            final ArrayDeque<Connection> waiters = waitersByKey.get(key);
            if (waiters != null)
            {
                waiters.remove(connection);
                if (waiters.isEmpty())
                {
                    waitersByKey.remove(key);
                }
            }
        }
        return true;
    }

    private static final class Waiting
    {
        private final String[] keys;
        private ScheduledFuture<?> timeout;

        private Waiting(final String[] keys)
        {
            this.keys = keys;
        }
    }
}
