package io.redmatch.engine.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Releases replies only once the commands they follow are durable, one log wait per event-loop batch across all
 * connections (SPEC §4, STYLE 7).
 * <p>
 * A connection about to flush its output while the {@link CommandLog} holds entries that are not yet durable does not
 * flush: it is {@link #hold held} here, its output keeps growing in order, and a commit task is queued on the event
 * loop. Netty runs queued tasks after it has served every connection ready in this round of I/O, so the task sees
 * the whole batch: it waits once for the log ({@link CommandLog#awaitDurable()}), tells the commit listeners (the
 * fill streams' watermark moves to the durable point), then flushes every held connection. Reads wait too when
 * something is pending, so no reply or Pub/Sub message shows state that a crash could take back.
 * <p>
 * When the log fails, the held connections are closed without their replies (their outcome is unknown to them, as
 * after a network failure) and the node refuses writes from then on (the {@code -MISCONF} gate).
 * <p>
 * Confined to the node's event loop.
 */
final class GroupCommit
{
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private static final long RETRY_MILLIS = 5;

    private final EngineNode node;
    private final Sequencer sequencer;
    private final ArrayList<ConnectionHandler> held = new ArrayList<>();
    private final List<Runnable> commitListeners = new ArrayList<>();
    private final Runnable commitTask = this::commit;
    private boolean scheduled;
    private long committedLogSeq;
    private long batches;
    private boolean failed;

    GroupCommit(final EngineNode node)
    {
        this.node = node;
        this.sequencer = node.sequencer();
    }

    /**
     * Holds a connection's flush when some logged command is not yet durable.
     *
     * @param handler the connection about to flush.
     * @return true when held: the commit task will flush it; false to flush now.
     */
    boolean hold(final ConnectionHandler handler)
    {
        if (!sequencer.commandLog().hasPendingEntries())
        {
            return false;
        }
        if (!handler.isHeld())
        {
            handler.held(true);
            held.add(handler);
        }
        schedule();
        return true;
    }

    /** Queues a commit task, e.g. after commands that no connection waits on were logged. */
    void schedule()
    {
        if (!scheduled)
        {
            scheduled = true;
            node.eventLoop().execute(commitTask);
        }
    }

    /**
     * Adds a task run after every commit, when all commands logged so far are durable.
     *
     * @param listener e.g. moving the fill streams' commit watermark.
     */
    void addCommitListener(final Runnable listener)
    {
        commitListeners.add(listener);
    }

    /** Runs the commit listeners, for state that is durable without a wait (replayed from the log). */
    void committed()
    {
        committedLogSeq = sequencer.logSeq();
        notifyListeners();
    }

    /** @return the log sequence of the last command known durable. */
    long committedLogSeq()
    {
        return failed || sequencer.commandLog().hasPendingEntries() ? committedLogSeq : sequencer.logSeq();
    }

    /** @return how many group commits waited for the log. */
    long batches()
    {
        return batches;
    }

    private void commit()
    {
        scheduled = false;
        final long logSeq = sequencer.logSeq();
        final boolean durable = sequencer.commandLog().awaitDurable();
        batches++;
        if (durable && sequencer.commandLog().hasPendingEntries())
        {
            retryLater();
            return;
        }
        if (durable)
        {
            committedLogSeq = logSeq;
            notifyListeners();
        }
        else if (!sequencer.commandLog().isFailed())
        {
            LOG.warn("the command log cannot confirm the last commands: closing {} connections whose replies wait " +
                "for them", held.size());
        }
        else
        {
            failed = true;
            LOG.error("the command log failed: closing {} connections whose replies wait for it", held.size());
        }
        for (int i = 0, size = held.size(); i < size; i++)
        {
            final ConnectionHandler handler = held.get(i);
            handler.held(false);
            if (durable)
            {
                handler.flushHeld();
            }
            else
            {
                handler.closeNow();
            }
        }
        held.clear();
    }

    /**
     * The log is durable here but not yet as its policy requires (a standby that stopped acknowledging): the replies
     * stay held, and the commit is tried again shortly, without keeping the event loop from other work.
     */
    private void retryLater()
    {
        scheduled = true;
        node.eventLoop().schedule(commitTask, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void notifyListeners()
    {
        for (int i = 0, size = commitListeners.size(); i < size; i++)
        {
            commitListeners.get(i).run();
        }
    }
}
