package io.redmatch.engine.replication;

import io.netty.buffer.ByteBuf;
import io.redmatch.engine.log.ArchiveCommandLog;
import io.redmatch.engine.log.EmbeddedArchive;
import io.redmatch.engine.node.CommandLog;
import io.redmatch.replicator.AckAdapter;
import io.redmatch.replicator.StandbyAck;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A primary's command log with the standby ack rule on top of the local one: appends go to the node's
 * {@link ArchiveCommandLog}; {@link #awaitDurable()} waits for the local recording and then, when the ack mode needs
 * the standby, for a standby's acknowledgement to cover the batch, running the archive (which replays the log to the
 * standby) and reading acknowledgements meanwhile.
 * <p>
 * The policy when no acknowledgement comes for the ack timeout (no progress at all, so a slow but moving standby does
 * not trip it): with {@code ack-degrade}, the node degrades to {@code local} acks (a warning in the log, {@code
 * degraded:1} in {@code INFO replication}) and every standby is marked out of sync until one has caught up again, which
 * ends the degradation; without it, the batch cannot be confirmed: {@link #awaitDurable()} answers false (without
 * {@link #isFailed() failing} the log), so the group commit disconnects the clients waiting for it (their outcome is
 * unknown to them, as after a network failure: retry with the same {@code CLIENT_ID}), {@link #isWaitingForStandby()}
 * turns true and new writes are refused with {@code -TRYAGAIN} until a standby acknowledges again; reads are served
 * meanwhile. Either way the event loop stops blocking on the standby.
 * <p>
 * An acknowledgement that carries a higher epoch than this node's means another node was promoted: this node is
 * {@link #isFenced() fenced} and refuses writes.
 * <p>
 * Confined to the node's event loop.
 */
final class ReplicatedCommandLog implements CommandLog, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedCommandLog.class);
    private static final int ACK_POLL_LIMIT = 64;
    private static final long LIVE_NS = TimeUnit.SECONDS.toNanos(1);

    private final ArchiveCommandLog local;
    private final EmbeddedArchive archive;
    private final ReplicationContext context;
    private final AckAdapter acks;
    private final Runnable onAckProgress;
    private final Map<String, StandbyLink> standbys = new LinkedHashMap<>();
    private final IdleStrategy idle = new BackoffIdleStrategy(50, 20, 1_000, TimeUnit.MICROSECONDS.toNanos(50));
    private final long ackTimeoutNs;
    private long ackedLogSeq;
    private long unackedSinceNs;
    private boolean standbyAttached;
    private boolean waitingForStandby;
    private boolean degraded;
    private long fencedByEpoch;

    /**
     * @param local         the node's log.
     * @param archive       the node's archive.
     * @param context       the replication settings.
     * @param host          the replication endpoint's address.
     * @param port          its port.
     * @param onAckProgress runs when the acknowledged position moves (wakes {@code WAIT}).
     */
    ReplicatedCommandLog(
        final ArchiveCommandLog local,
        final EmbeddedArchive archive,
        final ReplicationContext context,
        final String host,
        final int port,
        final Runnable onAckProgress)
    {
        this.local = local;
        this.archive = archive;
        this.context = context;
        this.onAckProgress = onAckProgress;
        this.ackTimeoutNs = TimeUnit.MILLISECONDS.toNanos(context.ackTimeoutMs());
        this.acks = new AckAdapter(archive.aeron(), host, port, this::onAck);
        this.ackedLogSeq = 0;
        this.unackedSinceNs = System.nanoTime();
    }

    @Override
    public void append(
        final long logSeq, final long engineTime, final ByteBuf frame, final int offset, final int length)
    {
        if (ackedLogSeq >= local.appendedLogSeq())
        {
            unackedSinceNs = System.nanoTime();
        }
        local.append(logSeq, engineTime, frame, offset, length);
    }

    @Override
    public boolean hasPendingEntries()
    {
        return local.hasPendingEntries() ||
            (!local.isClosed() && requiresStandby() && !waitingForStandby && ackedLogSeq < local.appendedLogSeq());
    }

    @Override
    public boolean awaitDurable()
    {
        if (!local.awaitDurable())
        {
            return false;
        }
        final long target = local.appendedLogSeq();
        if (!requiresStandby() || ackedLogSeq >= target)
        {
            return true;
        }
        if (waitingForStandby)
        {
            pollAcks();
            return true;
        }
        idle.reset();
        while (ackedLogSeq < target && requiresStandby())
        {
            final int work = pollAcks() + archive.invoke();
            if (ackedLogSeq < target && System.nanoTime() - unackedSinceNs > ackTimeoutNs)
            {
                return onAckTimeout();
            }
            if (work == 0)
            {
                idle.idle();
            }
        }
        return true;
    }

    @Override
    public boolean isFailed()
    {
        return local.failure() != null || local.isClosed();
    }

    /** Reads acknowledgements; called by the node's housekeeping too, so that they are seen while idle. */
    int pollAcks()
    {
        return acks.poll(ACK_POLL_LIMIT);
    }

    /** @return true when replies wait for the standby: ack mode standby, or default with a standby attached. */
    boolean requiresStandby()
    {
        return !degraded && (context.ackMode() == AckMode.STANDBY || (context.ackMode() == null && standbyAttached));
    }

    /** @return the ack mode in force now. */
    AckMode effectiveAckMode()
    {
        return requiresStandby() ? AckMode.STANDBY : AckMode.LOCAL;
    }

    /** @return true while writes are refused because no standby acknowledged within the ack timeout. */
    boolean isWaitingForStandby()
    {
        return waitingForStandby;
    }

    /** @return true while degraded to local acks by the policy. */
    boolean isDegraded()
    {
        return degraded;
    }

    /** @return true once a standby reported a higher epoch: this node must not take writes. */
    boolean isFenced()
    {
        return fencedByEpoch > 0;
    }

    /** @return the higher epoch that fenced this node, 0 when none. */
    long fencedByEpoch()
    {
        return fencedByEpoch;
    }

    /** @return true while a standby that acknowledged within the last second is behind this node's log. */
    boolean isStandbyCatchingUp()
    {
        final long nowNs = System.nanoTime();
        for (final StandbyLink link : standbys.values())
        {
            if (link.ackedLogSeq() < local.appendedLogSeq() && nowNs - link.lastAckNs() < LIVE_NS)
            {
                return true;
            }
        }
        return false;
    }

    /** @return the highest log sequence a standby acknowledged. */
    long ackedLogSeq()
    {
        return ackedLogSeq;
    }

    /**
     * @param logSeq a log sequence.
     * @return how many standbys acknowledged it.
     */
    int standbysCovering(final long logSeq)
    {
        int count = 0;
        for (final StandbyLink link : standbys.values())
        {
            if (link.ackedLogSeq() >= logSeq)
            {
                count++;
            }
        }
        return count;
    }

    /** @return the standbys heard from, in order of first acknowledgement. */
    List<StandbyLink> standbys()
    {
        return Collections.unmodifiableList(new ArrayList<>(standbys.values()));
    }

    /** @return the local log. */
    ArchiveCommandLog local()
    {
        return local;
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(acks);
    }

    private void onAck(final StandbyAck ack)
    {
        final long nowNs = System.nanoTime();
        if (ack.epoch() > local.epoch() && ack.epoch() > fencedByEpoch)
        {
            fencedByEpoch = ack.epoch();
            LOG.error("FENCED: {}:{} reports epoch {}, newer than this node's epoch {}: another node was promoted; " +
                "this node refuses writes from now on", ack.host(), ack.port(), ack.epoch(), local.epoch());
            return;
        }
        final String key = ack.host() + ":" + ack.port();
        StandbyLink link = standbys.get(key);
        if (link == null)
        {
            link = new StandbyLink(ack.host(), ack.port());
            standbys.put(key, link);
            unackedSinceNs = nowNs;
            LOG.info("standby {} attached (acknowledged log seq {}; this node's log seq {}), ack mode now {}", key,
                ack.logSeq(), local.appendedLogSeq(), context.ackMode() == null ? "standby (default)" :
                context.ackMode().configName());
        }
        standbyAttached = true;
        if (!link.onAck(ack.epoch(), ack.logSeq(), ack.position(), nowNs))
        {
            return;
        }
        if (ack.logSeq() > ackedLogSeq)
        {
            ackedLogSeq = Math.min(ack.logSeq(), local.appendedLogSeq());
            unackedSinceNs = nowNs;
            if (waitingForStandby)
            {
                waitingForStandby = false;
                LOG.warn("standby {} acknowledges again (log seq {}): writes accepted again", key, ack.logSeq());
            }
        }
        if (link.outOfSync() && ack.logSeq() >= local.appendedLogSeq())
        {
            link.outOfSync(false);
            if (degraded)
            {
                degraded = false;
                LOG.warn("standby {} caught up (log seq {}): ack mode standby again, no longer degraded", key,
                    ack.logSeq());
            }
        }
        onAckProgress.run();
    }

    /** @return whether the waiting batch counts as durable: yes when degraded, no when writes stop. */
    private boolean onAckTimeout()
    {
        if (context.ackDegrade())
        {
            degraded = true;
            for (final StandbyLink link : standbys.values())
            {
                link.outOfSync(true);
            }
            LOG.warn("DEGRADED: no standby acknowledged log seq {} within {} ms: ack mode degraded to LOCAL " +
                "(ack-degrade=true); replies no longer wait for a standby, which is marked out of sync until it " +
                "catches up", local.appendedLogSeq(), context.ackTimeoutMs());
            return true;
        }
        else
        {
            waitingForStandby = true;
            LOG.warn("STANDBY LOST: no standby acknowledged log seq {} within {} ms: the clients waiting for those " +
                "commands are disconnected (outcome unknown), new writes get -TRYAGAIN until a standby catches up " +
                "(or configure ack-degrade=true)", local.appendedLogSeq(), context.ackTimeoutMs());
            return false;
        }
    }
}
