package io.redmatch.replicator;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.logbuffer.ControlledFragmentHandler;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * A standby's feed of its primary's command log: one replay, from the primary's Aeron Archive, of the log's
 * recording from the standby's own log position, with an open length, so that it sends what is recorded so far (the
 * catch-up) and then follows the recording as it grows (live).
 * <p>
 * Why a replay that follows the recording rather than Aeron Archive's {@code replicate} with a live merge, or a
 * {@code ReplayMerge} onto the live publication: the standby re-appends every entry to its own command log (its own
 * publication, recorded by its own archive), so it needs entries in order and once, not a copy of the primary's
 * recording; one stream has no merge step to fail, and the primary's log publication stays without any network
 * destination, so a slow or stuck standby can never hold the primary's publication back: only its own replay, read
 * from disk at the standby's pace, waits for it. The cost is latency: a live entry reaches the standby after the
 * primary's archive recorded it, which the primary waits for anyway before it replies.
 * <p>
 * {@link #connect} blocks (it talks to the remote archive): call it off the event loop; {@link #poll} is for the
 * standby's event loop. The follower ends ({@link #isEnded()}) when the replay's image goes away (the primary died or
 * restarted, or the network failed); the standby then starts a new one.
 */
public final class LogFollower implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
    private static final long IMAGE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final AeronArchive primaryArchive;
    private final Subscription subscription;
    private final long replaySessionId;
    private final long startPosition;
    private final long deadlineNs;
    private Image image;
    private boolean ended;

    private LogFollower(
        final AeronArchive primaryArchive,
        final Subscription subscription,
        final long replaySessionId,
        final long startPosition)
    {
        this.primaryArchive = primaryArchive;
        this.subscription = subscription;
        this.replaySessionId = replaySessionId;
        this.startPosition = startPosition;
        this.deadlineNs = System.nanoTime() + IMAGE_TIMEOUT_NS;
    }

    /**
     * Connects to the primary's archive and asks it to replay the log from a position, following it live.
     *
     * @param aeron        the standby's Aeron client.
     * @param primary      the primary's endpoint.
     * @param fromPosition the standby's own log position: where its log ends, the start of an entry.
     * @return the follower, whose image appears shortly.
     * @throws RuntimeException (Aeron's) when the archive cannot be reached or refuses the replay.
     */
    public static LogFollower connect(final Aeron aeron, final PrimaryEndpoint primary, final long fromPosition)
    {
        final String localHost = primary.localAddress();
        Subscription subscription = null;
        AeronArchive archive = null;
        try
        {
            subscription = aeron.addSubscription(
                ReplicationChannels.udp(localHost, 0), ReplicationChannels.REPLAY_STREAM_ID);
            String replayChannel;
            while ((replayChannel = subscription.tryResolveChannelEndpointPort()) == null)
            {
                Thread.onSpinWait();
            }
            archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .ownsAeronClient(false)
                .controlRequestChannel(ReplicationChannels.udp(primary.host(), primary.replicationPort()))
                .controlRequestStreamId(ReplicationChannels.ARCHIVE_CONTROL_STREAM_ID)
                .controlResponseChannel(ReplicationChannels.udp(localHost, 0)));
            final long replaySessionId = archive.startReplay(
                primary.recordingId(), fromPosition, Long.MAX_VALUE, replayChannel, ReplicationChannels.REPLAY_STREAM_ID);
            LOG.info("following recording {} of {}:{} from position {} (replay session {}, on {})",
                primary.recordingId(), primary.host(), primary.replicationPort(), fromPosition,
                (int)replaySessionId, replayChannel);
            return new LogFollower(archive, subscription, replaySessionId, fromPosition);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(archive, subscription);
            throw ex;
        }
    }

    /**
     * Reads what arrived.
     *
     * @param handler       gets each fragment (use an assembler: entries can span fragments).
     * @param fragmentLimit most fragments to read.
     * @return fragments read.
     */
    public int poll(final ControlledFragmentHandler handler, final int fragmentLimit)
    {
        if (ended)
        {
            return 0;
        }
        if (image == null)
        {
            image = subscription.imageBySessionId((int)replaySessionId);
            if (image == null)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    ended = true;
                    LOG.warn("the primary's replay did not arrive");
                }
                return 0;
            }
        }
        final int fragments = image.controlledPoll(handler, fragmentLimit);
        if (fragments == 0 && (image.isClosed() || image.isEndOfStream()))
        {
            ended = true;
            LOG.warn("the primary's replay ended at position {}", image.position());
        }
        return fragments;
    }

    /** @return true when the replay is over: start a new follower. */
    public boolean isEnded()
    {
        return ended;
    }

    /** @return true once the replay's image arrived and while it lasts. */
    public boolean isReceiving()
    {
        return image != null && !ended;
    }

    /** @return the log position read up to. */
    public long position()
    {
        return image == null ? startPosition : image.position();
    }

    /**
     * Closes the replay's subscription, which ends the replay on the primary (its publication loses its receiver), and
     * the connection to the primary's archive. Never waits for the primary, which may be gone: the caller's thread
     * also runs the standby's own archive, which must not stall.
     */
    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(subscription, primaryArchive);
    }
}
