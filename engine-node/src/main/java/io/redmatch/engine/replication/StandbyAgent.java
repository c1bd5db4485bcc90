package io.redmatch.engine.replication;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redmatch.engine.log.ArchiveCommandLog;
import io.redmatch.engine.log.EmbeddedArchive;
import io.redmatch.engine.log.LogEntry;
import io.redmatch.engine.node.EngineNode;
import io.redmatch.replicator.AckPublisher;
import io.redmatch.replicator.LogFollower;
import io.redmatch.replicator.PrimaryEndpoint;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * A standby's duty cycle, on the node's event loop: finds the primary over RESP, follows its command log
 * ({@link LogFollower}: catch-up from the primary's recording, then live), and for every entry checks it (checksum,
 * gapless log sequence, same position as on the primary), re-appends it unchanged to its own command log, and
 * applies it with the same handlers as a recovery does; once the batch is durable in its own archive (the group
 * commit), it acknowledges its recorded log sequence and position to the primary ({@link AckPublisher}), and every
 * {@value #HEARTBEAT_MILLIS} ms meanwhile.
 * <p>
 * Link states, as {@code ROLE} shows them: {@code connect} (to find the primary), {@code connecting} (asking it),
 * {@code sync} (following, behind the primary's position seen when connecting), {@code connected} (caught up,
 * live). A follow that ends (the primary died or restarted) goes back to {@code connect} after
 * {@value #RETRY_MILLIS} ms. A log that does not continue this node's own (another history) stops the standby with
 * an error: it needs an empty data dir, or a snapshot of the primary.
 */
final class StandbyAgent
{
    /** Link states, Redis's words. */
    enum LinkState
    {
        CONNECT, CONNECTING, SYNC, CONNECTED, DIVERGED, STOPPED;

        String word()
        {
            return name().toLowerCase();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StandbyAgent.class);
    private static final long HEARTBEAT_MILLIS = 100;
    private static final long RETRY_MILLIS = 1_000;
    private static final long SLICE_NS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long DRAIN_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int FRAGMENT_LIMIT = 256;
    private static final long MAX_IDLE_DELAY_MICROS = 200;

    private final EngineNode node;
    private final ArchiveCommandLog log;
    private final EmbeddedArchive archive;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this::onFragment);
    private final CRC32C crc = new CRC32C();
    private final Runnable pollTask = this::poll;
    private final Runnable heartbeatTask = this::heartbeat;
    private byte[] entryBytes = new byte[4096];
    private final UnsafeBuffer entry = new UnsafeBuffer(entryBytes);
    private ByteBuf entryFrame = Unpooled.wrappedBuffer(entryBytes);
    private String primaryHost;
    private int primaryPort;
    private LinkState state = LinkState.CONNECT;
    private LogFollower follower;
    private ScheduledFuture<?> heartbeat;
    private AckPublisher ackPublisher;
    private PrimaryEndpoint primary;
    private long syncTargetPosition;
    private long sliceDeadlineNs;
    private int idlePolls;
    private long entriesApplied;
    private long lastReceiveMillis;
    private long knownPrimaryEpoch;
    private long generation;
    private String divergence;
    private PrimaryStatusPoller primaryStatus;

    StandbyAgent(final EngineNode node, final ArchiveCommandLog log, final EmbeddedArchive archive,
        final String primaryHost, final int primaryPort)
    {
        this.node = node;
        this.log = log;
        this.archive = archive;
        this.primaryHost = primaryHost;
        this.primaryPort = primaryPort;
    }

    /** Starts following; on the event loop. */
    void start()
    {
        node.addCommitListener(this::sendAck);
        heartbeat = node.eventLoop().scheduleAtFixedRate(
            heartbeatTask, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        primaryStatus = new PrimaryStatusPoller(primaryHost, primaryPort, node.port());
        connect();
    }

    /**
     * Follows another primary from now on (a {@code REPLICAOF host port} on a standby).
     *
     * @param host its host.
     * @param port its RESP port.
     */
    void retarget(final String host, final int port)
    {
        primaryHost = host;
        primaryPort = port;
        if (primaryStatus != null)
        {
            primaryStatus.target(host, port);
        }
        disconnect();
        if (state != LinkState.DIVERGED)
        {
            state = LinkState.CONNECT;
            connect();
        }
    }

    /**
     * Stops following, for a promotion: applies what was received and is whole, stops the replay; the acknowledgement
     * publication stays open so that the new epoch can be told to the old primary ({@link #announceEpoch}).
     */
    void stop()
    {
        if (follower != null && state != LinkState.DIVERGED)
        {
            // what arrived is applied; a primary still alive and writing could keep this going, hence the bound
            sliceDeadlineNs = System.nanoTime() + DRAIN_NS;
            while (follower.poll(assembler, FRAGMENT_LIMIT) > 0 && state != LinkState.DIVERGED &&
                System.nanoTime() < sliceDeadlineNs)
            {
                Thread.onSpinWait();
            }
        }
        state = LinkState.STOPPED;
        generation++;
        if (heartbeat != null)
        {
            heartbeat.cancel(false);
        }
        CloseHelper.quietCloseAll(follower, primaryStatus);
        follower = null;
    }

    /** Stops everything at once, without applying anything more: the node is stopping (its log may be closed). */
    void close()
    {
        state = LinkState.STOPPED;
        generation++;
        if (heartbeat != null)
        {
            heartbeat.cancel(false);
        }
        CloseHelper.quietCloseAll(follower, ackPublisher, primaryStatus);
        follower = null;
        ackPublisher = null;
    }

    /**
     * Tells the old primary about a new epoch (fencing it, if it is alive and reachable), a few times, then closes
     * the acknowledgement publication.
     *
     * @param epoch the new epoch.
     */
    void announceEpoch(final long epoch)
    {
        final AckPublisher publisher = ackPublisher;
        ackPublisher = null;
        if (publisher == null)
        {
            return;
        }
        for (int i = 0; i < 10; i++)
        {
            final int attempt = i;
            node.eventLoop().schedule(() ->
            {
                publisher.send(epoch, log.durableLogSeq(), log.durablePosition());
                if (attempt == 9)
                {
                    publisher.close();
                }
            }, i * 100L, TimeUnit.MILLISECONDS);
        }
    }

    LinkState state()
    {
        return state;
    }

    String primaryHost()
    {
        return primaryHost;
    }

    int primaryPort()
    {
        return primaryPort;
    }

    long entriesApplied()
    {
        return entriesApplied;
    }

    /** @return the primary's log position when this standby connected: {@code sync} until it reaches it. */
    long syncTargetPosition()
    {
        return syncTargetPosition;
    }

    /** @return the highest epoch seen in the primary's log or endpoint. */
    long knownPrimaryEpoch()
    {
        return knownPrimaryEpoch;
    }

    /** @return milliseconds since the last entry arrived, -1 when none did. */
    long millisSinceReceive()
    {
        return lastReceiveMillis == 0 ? -1 : System.currentTimeMillis() - lastReceiveMillis;
    }

    /** @return what the primary last said about its commit and this standby, or null before {@link #start}. */
    PrimaryStatusPoller primaryStatus()
    {
        return primaryStatus;
    }

    /** @return why the standby stopped following, or null. */
    String divergence()
    {
        return divergence;
    }

    private void connect()
    {
        if (state != LinkState.CONNECT)
        {
            return;
        }
        state = LinkState.CONNECTING;
        final long attempt = ++generation;
        final long fromPosition = log.appendedPosition();
        final String host = primaryHost;
        final int port = primaryPort;
        final int termLength = log.context().termLength();
        final Thread thread = new Thread(() ->
        {
            try
            {
                final PrimaryEndpoint endpoint = PrimaryEndpoint.query(host, port);
                if (endpoint.termLength() != termLength)
                {
                    throw new IllegalStateException("the primary's log-term-length " + endpoint.termLength() +
                        " differs from this node's " + termLength + ": configure the same");
                }
                final long primaryLogStart = PrimarySnapshotSource.logStartPosition(
                    PrimaryEndpoint.info(host, port, "persistence"));
                if (fromPosition < primaryLogStart)
                {
                    throw new IllegalStateException("this node's log ends at position " + fromPosition + " but the " +
                        "primary keeps its log from position " + primaryLogStart + " only (purged below its " +
                        "snapshots): this node needs the primary's snapshot, which it loads at start: restart it " +
                        "with --replicaof " + host + ":" + port);
                }
                final LogFollower newFollower = LogFollower.connect(archive.aeron(), endpoint, fromPosition);
                node.eventLoop().execute(() -> onConnected(attempt, endpoint, newFollower));
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("cannot follow {}:{} yet: {}; retrying in {} ms", host, port, ex.getMessage(), RETRY_MILLIS);
                node.eventLoop().execute(() -> retryLater(attempt));
            }
        }, "redmatch-standby-connect");
        thread.setDaemon(true);
        thread.start();
    }

    private void onConnected(final long attempt, final PrimaryEndpoint endpoint, final LogFollower newFollower)
    {
        if (attempt != generation || state != LinkState.CONNECTING)
        {
            newFollower.close();
            return;
        }
        primary = endpoint;
        follower = newFollower;
        knownPrimaryEpoch = Math.max(knownPrimaryEpoch, endpoint.epoch());
        CloseHelper.quietClose(ackPublisher);
        ackPublisher = new AckPublisher(archive.aeron(), endpoint.host(), endpoint.replicationPort(),
            endpoint.localAddress(), node.port());
        syncTargetPosition = endpoint.logPosition();
        state = log.appendedPosition() >= syncTargetPosition ? LinkState.CONNECTED : LinkState.SYNC;
        LOG.info("standby of {}:{} (epoch {}): {} from log seq {}, position {} (primary at position {})",
            endpoint.host(), endpoint.respPort(), endpoint.epoch(), state.word(), log.appendedLogSeq(),
            log.appendedPosition(), syncTargetPosition);
        sendAck();
        node.eventLoop().execute(pollTask);
    }

    private void retryLater(final long attempt)
    {
        if (attempt == generation && state == LinkState.CONNECTING)
        {
            state = LinkState.CONNECT;
            node.eventLoop().schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void poll()
    {
        if (follower == null || (state != LinkState.SYNC && state != LinkState.CONNECTED))
        {
            return;
        }
        sliceDeadlineNs = System.nanoTime() + SLICE_NS;
        final long before = entriesApplied;
        int fragments;
        do
        {
            fragments = follower.poll(assembler, FRAGMENT_LIMIT);
            archive.invoke();
        }
        while (fragments > 0 && state != LinkState.DIVERGED && System.nanoTime() < sliceDeadlineNs);
        if (entriesApplied > before)
        {
            lastReceiveMillis = System.currentTimeMillis();
            node.scheduleCommit();
            if (state == LinkState.SYNC && log.appendedPosition() >= syncTargetPosition)
            {
                state = LinkState.CONNECTED;
                LOG.info("standby caught up with the primary at log seq {} ({} entries applied): following live",
                    log.appendedLogSeq(), entriesApplied);
            }
            idlePolls = 0;
        }
        else
        {
            idlePolls++;
        }
        if (state == LinkState.DIVERGED)
        {
            disconnect();
            return;
        }
        if (follower.isEnded())
        {
            LOG.warn("lost the primary {}:{} at log seq {}; reconnecting in {} ms", primaryHost, primaryPort,
                log.appendedLogSeq(), RETRY_MILLIS);
            disconnect();
            state = LinkState.CONNECT;
            node.eventLoop().schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        final long delayMicros = idlePolls == 0 ? 0 : Math.min(MAX_IDLE_DELAY_MICROS, 10L * idlePolls);
        // scheduled rather than executed, so that clients reading from the standby are served between slices
        node.eventLoop().schedule(pollTask, delayMicros, TimeUnit.MICROSECONDS);
    }

    private Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (state == LinkState.DIVERGED || state == LinkState.STOPPED)
        {
            return Action.ABORT;
        }
        copy(buffer, offset, length);
        final String invalid = LogEntry.validate(entry, 0, length, crc);
        final long logSeq = invalid == null ? LogEntry.logSeq(entry, 0) : -1;
        if (invalid != null || logSeq != log.appendedLogSeq() + 1)
        {
            diverged(invalid != null ? "entry ending at position " + header.position() + " is invalid: " + invalid :
                "entry ending at position " + header.position() + " has log seq " + logSeq + " after this node's " +
                log.appendedLogSeq());
            return Action.ABORT;
        }
        log.appendEntry(entry, 0, length);
        if (log.appendedPosition() != header.position())
        {
            diverged("entry " + logSeq + " ends at position " + log.appendedPosition() + " here but " +
                header.position() + " on the primary (different log settings?)");
            return Action.ABORT;
        }
        knownPrimaryEpoch = Math.max(knownPrimaryEpoch, LogEntry.epoch(entry, 0));
        final int frameLength = LogEntry.frameLength(entry, 0);
        entryFrame.setIndex(0, LogEntry.HEADER_LENGTH + frameLength);
        if (!node.replay(entryFrame, LogEntry.HEADER_LENGTH, frameLength, logSeq, LogEntry.engineTime(entry, 0)))
        {
            diverged("log entry " + logSeq + " is not a command this node knows");
            return Action.ABORT;
        }
        entriesApplied++;
        return System.nanoTime() > sliceDeadlineNs ? Action.BREAK : Action.CONTINUE;
    }

    private void copy(final DirectBuffer buffer, final int offset, final int length)
    {
        if (entryBytes.length < length)
        {
            entryBytes = new byte[Math.max(length, entryBytes.length * 2)];
            entry.wrap(entryBytes);
            entryFrame = Unpooled.wrappedBuffer(entryBytes);
        }
        buffer.getBytes(offset, entryBytes, 0, length);
    }

    private void diverged(final String why)
    {
        divergence = why;
        state = LinkState.DIVERGED;
        LOG.error("standby stopped following {}:{}: {}. Restart it with --replicaof {}:{} (a former primary's " +
            "uncommitted tail is discarded at start-up), or on an empty data dir", primaryHost, primaryPort, why,
            primaryHost, primaryPort);
    }

    private void disconnect()
    {
        generation++;
        CloseHelper.quietClose(follower);
        follower = null;
    }

    private void sendAck()
    {
        final AckPublisher publisher = ackPublisher;
        if (publisher != null && state != LinkState.STOPPED)
        {
            publisher.send(Math.max(log.epoch(), knownPrimaryEpoch), log.durableLogSeq(), log.durablePosition());
        }
    }

    private void heartbeat()
    {
        if (!log.hasPendingEntries())
        {
            sendAck();
        }
    }
}
