package io.redmatch.engine.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redmatch.engine.log.ArchiveCommandLog;
import io.redmatch.engine.log.CommandLogContext;
import io.redmatch.engine.log.EmbeddedArchive;
import io.redmatch.engine.log.PersistenceCommands;
import io.redmatch.engine.node.BlockedCommand;
import io.redmatch.engine.node.Command;
import io.redmatch.engine.node.CommandGroup;
import io.redmatch.engine.node.CommandTable;
import io.redmatch.engine.node.Connection;
import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.InfoSection;
import io.redmatch.engine.node.Sequencer;
import io.redmatch.engine.resp.RespRequest;
import io.redmatch.engine.resp.RespWriter;
import io.redmatch.replicator.NodeCommand;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Replication of a node's command log to a hot standby, and the commands around it: {@code ROLE},
 * {@code INFO replication}, {@code REPLICAOF}/{@code SLAVEOF} ({@code NO ONE} promotes a standby; {@code <host>
 * <port>} makes a node a standby of another, when its log is a prefix of the other's), {@code WAIT}, {@code FAILOVER}
 * (planned: writes refused with {@code -TRYAGAIN}, wait until a standby acknowledged everything, have it promote
 * itself, then follow it), and the {@code -READONLY}/{@code -TRYAGAIN} gate.
 * <p>
 * Once the node's log is recovered, a node configured with {@code replicaof} starts a {@link StandbyAgent}; any other
 * starts as a primary: its log becomes a {@link ReplicatedCommandLog}, which applies the ack mode. A promotion
 * ({@code REPLICAOF NO ONE}) stops the agent (applying whatever whole entries it received), starts a new epoch by
 * logging {@code REPLICATION.EPOCH <n>} (an internal command a client cannot send), tells the old primary the new
 * epoch (which fences it if it is alive and reachable), and makes the node a primary, continuing its own recording:
 * the first write is accepted at once.
 * <p>
 * A node without a command log has nothing to replicate: it is a primary of epoch 0 and refuses {@code REPLICAOF}.
 */
public final class ReplicationCommands implements CommandGroup
{
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationCommands.class);
    private static final String EPOCH_COMMAND = "REPLICATION.EPOCH";
    private static final String ACK_KEY = "__replication:acks";
    private static final String FAILOVER_KEY = "__replication:failover";
    private static final String REPLICAOF_KEY = "__replication:replicaof";
    private static final long FAILOVER_TIMEOUT_MS_DEFAULT = 10_000;
    private static final long HOUSEKEEPING_MICROS = 10_000;
    private static final long CATCH_UP_DELAY_MICROS = 50;
    private static final long CATCH_UP_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final byte[] MASTER = "master".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SLAVE = "slave".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] READONLY = RespWriter.encodeError("READONLY You can't write against a read only replica.");

    private EngineNode node;
    private ReplicationContext context;
    private PersistenceCommands persistence;
    private Command epochCommand;
    private ArchiveCommandLog log;
    private EmbeddedArchive archive;
    private CommandLogContext logContext;
    private ReplicatedCommandLog primaryLog;
    private StandbyAgent standby;
    private ScheduledFuture<?> housekeeping;
    private long promotionMillis = -1;
    private PlannedFailover failover;
    private long epochStartEpoch;
    private long epochStartSeq = -1;

    public void register(final CommandTable table, final EngineNode node)
    {
        this.node = node;
        this.context = ReplicationContext.of(node.context());
        for (final CommandGroup group : node.context().commandGroups())
        {
            if (group instanceof PersistenceCommands)
            {
                persistence = (PersistenceCommands)group;
            }
        }
        table.register("ROLE", 1, Command.FAST | Command.STALE | Command.LOADING, (c, r, out) -> role(out))
            .group("replication").summary("The node's role, Redis's shape: master, offset, replicas / slave, " +
                "host, port, state, offset").syntax("ROLE");
        table.register("REPLICAOF", 3, Command.ADMIN | Command.STALE | Command.BLOCKING, this::replicaOf)
            .group("replication").summary("NO ONE promotes a standby to primary; <host> <port> retargets a standby")
            .syntax("<host> <port> | NO ONE");
        table.register("SLAVEOF", 3, Command.ADMIN | Command.STALE | Command.BLOCKING, this::replicaOf)
            .group("replication").summary("Old name of REPLICAOF").syntax("<host> <port> | NO ONE");
        table.register("WAIT", 3, Command.BLOCKING, this::waitCommand)
            .group("replication").summary("Waits until that many standbys acknowledged this node's last write")
            .syntax("<numreplicas> <timeout>");
        table.register("FAILOVER", -1, Command.ADMIN | Command.BLOCKING, this::failover)
            .group("replication").summary("Planned switch: stop writes, wait for the standby to catch up, promote it, " +
                "follow it").syntax("[TIMEOUT <milliseconds>]");
        epochCommand = table.register(EPOCH_COMMAND, 2, Command.WRITE, this::applyEpoch)
            .group("replication").summary("Internal: starts a primary term in the command log").syntax("<epoch>");
        node.addGate(this::gate);
        node.info().register("replication", this::info);
        if (node.context().logEnabled())
        {
            if (context.primaryHost() != null && persistence != null)
            {
                persistence.tailDiscard(new RejoinTailDiscard(context.primaryHost(), context.primaryPort(),
                    persistence.logContext().dataDir()));
                persistence.snapshotSource(new PrimarySnapshotSource(context.primaryHost(), context.primaryPort()));
            }
            node.afterRecovery(this::startReplication);
        }
    }

    @Override
    public void close()
    {
        if (housekeeping != null)
        {
            housekeeping.cancel(false);
        }
        if (standby != null)
        {
            standby.close();
        }
        final ReplicatedCommandLog primary = primaryLog;
        primaryLog = null;
        CloseHelper.quietClose(primary);
    }

    /**
     * The log position every known standby has acknowledged, which bounds the log purge after a snapshot: a standby
     * catches up from the primary's recording, so the log it still needs is kept. No standby known: no bound.
     */
    private long lowestStandbyAckedPosition()
    {
        final ReplicatedCommandLog primary = primaryLog;
        long lowest = Long.MAX_VALUE;
        if (primary != null)
        {
            for (final StandbyLink link : primary.standbys())
            {
                lowest = Math.min(lowest, link.ackedPosition());
            }
        }
        return lowest;
    }

    private void startReplication()
    {
        log = persistence.log();
        archive = persistence.archive();
        logContext = persistence.logContext();
        if (epochStartEpoch != log.epoch())
        {
            readEpochStart();
        }
        persistence.standbyAckedPosition(this::lowestStandbyAckedPosition);
        LOG.info("replication: {}, endpoint {}:{}", context, logContext.replicationHost(),
            logContext.replicationPort());
        if (context.primaryHost() != null)
        {
            node.role("replica");
            standby = new StandbyAgent(node, log, archive, context.primaryHost(), context.primaryPort());
            standby.start();
        }
        else
        {
            becomePrimary();
        }
    }

    private void becomePrimary()
    {
        primaryLog = new ReplicatedCommandLog(log, archive, context, logContext.replicationHost(),
            logContext.replicationPort(), () -> node.signal(ACK_KEY));
        node.sequencer().commandLog(primaryLog);
        node.role("master");
        final ReplicatedCommandLog primary = primaryLog;
        housekeeping = node.eventLoop().schedule(() -> primaryDuty(primary), HOUSEKEEPING_MICROS, TimeUnit.MICROSECONDS);
    }

    /**
     * The primary's replication duty between commands: reads acknowledgements every 10 ms, and while a live standby
     * is behind (catching up), runs the archive, which sends it the recording, in 1 ms slices every 50 µs, since
     * the group commit (which also runs it) does not run while no client writes.
     */
    private void primaryDuty(final ReplicatedCommandLog primary)
    {
        if (primaryLog != primary)
        {
            return;
        }
        primary.pollAcks();
        long delayMicros = HOUSEKEEPING_MICROS;
        if (primary.isStandbyCatchingUp())
        {
            final long deadlineNs = System.nanoTime() + CATCH_UP_SLICE_NS;
            while (archive.invoke() > 0 && System.nanoTime() < deadlineNs)
            {
                primary.pollAcks();
            }
            delayMicros = CATCH_UP_DELAY_MICROS;
        }
        housekeeping = node.eventLoop().schedule(() -> primaryDuty(primary), delayMicros, TimeUnit.MICROSECONDS);
    }

    private void promote(final RespWriter out)
    {
        final long startNs = System.nanoTime();
        standby.stop();
        final long epoch = Math.max(log.epoch(), standby.knownPrimaryEpoch()) + 1;
        log.epoch(epoch);
        final StandbyAgent former = standby;
        standby = null;
        becomePrimary();
        logEpoch(epoch);
        former.announceEpoch(epoch);
        promotionMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        LOG.warn("PROMOTED to primary of epoch {} at log seq {} (position {}), in {} ms", epoch,
            node.sequencer().logSeq(), log.appendedPosition(), promotionMillis);
        out.ok();
    }

    /** Logs and applies {@code REPLICATION.EPOCH <epoch>}: the new term is in the log before any of its writes. */
    private void logEpoch(final long epoch)
    {
        final byte[] name = EPOCH_COMMAND.getBytes(StandardCharsets.US_ASCII);
        final byte[] value = Long.toString(epoch).getBytes(StandardCharsets.US_ASCII);
        final ByteBuf frame = Unpooled.buffer();
        try
        {
            frame.writeCharSequence("*2\r\n$" + name.length + "\r\n", StandardCharsets.US_ASCII);
            frame.writeBytes(name).writeCharSequence("\r\n$" + value.length + "\r\n", StandardCharsets.US_ASCII);
            frame.writeBytes(value).writeCharSequence("\r\n", StandardCharsets.US_ASCII);
            final Sequencer sequencer = node.sequencer();
            sequencer.sequence(frame, 0, frame.readableBytes());
            node.replay(frame, 0, frame.readableBytes(), sequencer.logSeq(), sequencer.engineTime());
            node.scheduleCommit();
        }
        finally
        {
            frame.release();
        }
    }

    private void applyEpoch(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final long epoch = request.argLong(1, -1);
        if (epoch > epochStartEpoch)
        {
            epochStartEpoch = epoch;
            epochStartSeq = node.sequencer().logSeq();
            if (persistence != null && persistence.logContext() != null)
            {
                writeEpochStart();
            }
        }
        if (epoch > 0 && log != null && epoch > log.epoch())
        {
            log.epoch(epoch);
        }
        out.ok();
    }

    /**
     * Where the current term began, kept in the data dir as well: a snapshot taken after the term's first entry
     * spares recovery from replaying it, and a former primary rejoining this node needs it ({@link RejoinTailDiscard}).
     */
    private void writeEpochStart()
    {
        final Path file = epochStartFile();
        try
        {
            final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, epochStartEpoch + " " + epochStartSeq + "\n");
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot write {}: {}", file, ex.toString());
        }
    }

    private void readEpochStart()
    {
        final Path file = epochStartFile();
        try
        {
            if (Files.exists(file))
            {
                final String[] parts = Files.readString(file).trim().split(" ");
                if (Long.parseLong(parts[0]) == log.epoch())
                {
                    epochStartEpoch = log.epoch();
                    epochStartSeq = Long.parseLong(parts[1]);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.warn("cannot read {}: {}", file, ex.toString());
        }
    }

    private Path epochStartFile()
    {
        return persistence.logContext().dataDir().resolve("epoch-start");
    }

    private boolean gate(
        final Command command, final Connection connection, final RespRequest request, final RespWriter out)
    {
        if ((command.flags() & Command.WRITE) == 0)
        {
            return true;
        }
        if (command == epochCommand)
        {
            out.error("ERR " + EPOCH_COMMAND + " is written by a promotion only");
            return false;
        }
        if (standby != null)
        {
            out.raw(READONLY);
            return false;
        }
        final ReplicatedCommandLog primary = primaryLog;
        if (primary == null)
        {
            return true;
        }
        if (primary.isFenced())
        {
            out.error("READONLY this node was fenced: epoch " + primary.fencedByEpoch() + " started on another node " +
                "(this node's epoch is " + log.epoch() + "); make it a standby of the new primary");
            return false;
        }
        if (failover != null)
        {
            out.error("TRYAGAIN failover in progress: writes go to the new primary once it has taken over");
            return false;
        }
        if (primary.isWaitingForStandby())
        {
            out.error("TRYAGAIN no standby acknowledged the command log within " + context.ackTimeoutMs() +
                " ms (ack mode standby): writes are refused until a standby catches up");
            return false;
        }
        return true;
    }

    private void replicaOf(final Connection connection, final RespRequest request, final RespWriter out)
    {
        if (request.argEqualsIgnoreCase(1, "NO") && request.argEqualsIgnoreCase(2, "ONE"))
        {
            if (standby == null)
            {
                out.ok();
                return;
            }
            promote(out);
            return;
        }
        final long port = request.argLong(2, -1);
        if (port <= 0 || port > 65535)
        {
            out.error("ERR Invalid master port");
            return;
        }
        if (standby != null)
        {
            standby.retarget(request.argString(1), (int)port);
            out.ok();
            return;
        }
        if (primaryLog == null)
        {
            out.error("ERR REPLICAOF needs a command log (a data dir): this node has nothing to replicate");
            return;
        }
        checkTailThenDemote(connection, request.argString(1), (int)port);
    }

    /**
     * A primary asked to follow another: first asks the other, off the event loop, where its term began
     * ({@link RejoinCheck}), since entries of this node's own beyond that point (an uncommitted tail) cannot be kept.
     */
    private void checkTailThenDemote(final Connection connection, final String host, final int port)
    {
        final String[] result = new String[1];
        final long epoch = log.epoch();
        final long lastLogSeq = log.appendedLogSeq();
        final Thread thread = new Thread(() ->
        {
            final String error = RejoinCheck.tailError(host, port, epoch, lastLogSeq);
            node.eventLoop().execute(() ->
            {
                result[0] = error == null ? "" : error;
                node.signal(REPLICAOF_KEY);
            });
        }, "redmatch-replicaof-check");
        thread.setDaemon(true);
        thread.start();
        connection.block(new BlockedCommand()
        {
            public boolean onSignal(final Connection blocked, final String key, final RespWriter reply)
            {
                if (result[0] == null)
                {
                    return false;
                }
                if (!result[0].isEmpty())
                {
                    reply.error(result[0]);
                    return true;
                }
                demoteIfNoTail(host, port, reply);
                return true;
            }

            public void onTimeout(final Connection blocked, final RespWriter reply)
            {
                reply.error("ERR REPLICAOF did not complete");
            }
        }, 0, REPLICAOF_KEY);
    }

    private void demoteIfNoTail(final String host, final int port, final RespWriter out)
    {
        if (standby != null)
        {
            standby.retarget(host, port);
            out.ok();
            return;
        }
        final ReplicatedCommandLog primary = primaryLog;
        if (primary == null)
        {
            out.error("ERR REPLICAOF needs a command log (a data dir): this node has nothing to replicate");
            return;
        }
        if (primary.requiresStandby() && primary.ackedLogSeq() < log.appendedLogSeq())
        {
            out.error("ERR this node holds commands no standby acknowledged (log seq " + (primary.ackedLogSeq() + 1) +
                " to " + log.appendedLogSeq() + "), which may be missing on " + host + ":" + port + ": restart this " +
                "node with --replicaof " + host + ":" + port + " (a tail the other never had is discarded at start-up)");
            return;
        }
        demote(host, port);
        out.ok();
    }

    /**
     * Makes this primary a standby of another node: its log must be a prefix of the other's (true after a planned
     * failover, when the standby had acknowledged everything before it was promoted); otherwise the standby reports
     * why it cannot follow.
     */
    private void demote(final String host, final int port)
    {
        if (housekeeping != null)
        {
            housekeeping.cancel(false);
            housekeeping = null;
        }
        node.sequencer().commandLog(log);
        CloseHelper.quietClose(primaryLog);
        primaryLog = null;
        node.role("replica");
        standby = new StandbyAgent(node, log, archive, host, port);
        standby.start();
        LOG.warn("now a standby of {}:{} from log seq {} (epoch {})", host, port, log.appendedLogSeq(), log.epoch());
    }

    private void failover(final Connection connection, final RespRequest request, final RespWriter out)
    {
        long timeoutMillis = FAILOVER_TIMEOUT_MS_DEFAULT;
        for (int i = 1; i < request.argCount(); i++)
        {
            if (request.argEqualsIgnoreCase(i, "TIMEOUT") && i + 1 < request.argCount())
            {
                timeoutMillis = request.argLong(++i, -1);
                if (timeoutMillis <= 0)
                {
                    out.error("ERR FAILOVER timeout must be greater than 0");
                    return;
                }
            }
            else
            {
                out.error("ERR FAILOVER supports only [TIMEOUT <milliseconds>] on this node (TO, FORCE and ABORT " +
                    "are not supported yet)");
                return;
            }
        }
        if (standby != null)
        {
            out.error("ERR FAILOVER is not valid when server is a replica.");
            return;
        }
        final ReplicatedCommandLog primary = primaryLog;
        if (failover != null)
        {
            out.error("ERR FAILOVER already in progress.");
            return;
        }
        StandbyLink target = null;
        for (final StandbyLink link : primary == null ? List.<StandbyLink>of() : primary.standbys())
        {
            if (!link.outOfSync() && (target == null || link.ackedLogSeq() > target.ackedLogSeq()))
            {
                target = link;
            }
        }
        if (target == null)
        {
            out.error("ERR FAILOVER requires connected replicas.");
            return;
        }
        failover = new PlannedFailover(target, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        LOG.warn("FAILOVER to {}:{}: writes refused (-TRYAGAIN) until it has caught up and taken over",
            target.host(), target.port());
        final PlannedFailover current = failover;
        connection.block(new BlockedCommand()
        {
            public boolean onSignal(final Connection blocked, final String key, final RespWriter reply)
            {
                if (current.result == null)
                {
                    return false;
                }
                if (current.result.startsWith("+"))
                {
                    reply.ok();
                }
                else
                {
                    reply.error(current.result);
                }
                return true;
            }

            public void onTimeout(final Connection blocked, final RespWriter reply)
            {
                reply.error("ERR FAILOVER did not complete");
            }
        }, 0, FAILOVER_KEY);
        node.eventLoop().execute(this::checkFailover);
    }

    /** Runs until the planned failover ends: waits for the target's acknowledgement, then hands over. */
    private void checkFailover()
    {
        final PlannedFailover current = failover;
        if (current == null || current.handingOver)
        {
            return;
        }
        final ReplicatedCommandLog primary = primaryLog;
        primary.pollAcks();
        if (current.target.ackedLogSeq() >= log.appendedLogSeq() && !primary.hasPendingEntries())
        {
            current.handingOver = true;
            final String host = current.target.host();
            final int port = current.target.port();
            final Thread thread = new Thread(() ->
            {
                String reply;
                try
                {
                    reply = NodeCommand.call(host, port, "REPLICAOF", "NO", "ONE");
                }
                catch (final RuntimeException ex)
                {
                    reply = "-" + ex.getMessage();
                }
                final String answer = reply;
                node.eventLoop().execute(() -> handedOver(current, answer));
            }, "redmatch-failover");
            thread.setDaemon(true);
            thread.start();
            return;
        }
        if (System.nanoTime() > current.deadlineNs)
        {
            endFailover(current, "ERR FAILOVER timed out: the standby did not catch up (acknowledged log seq " +
                current.target.ackedLogSeq() + " of " + log.appendedLogSeq() + "); writes accepted again");
            return;
        }
        node.eventLoop().schedule(this::checkFailover, 1, TimeUnit.MILLISECONDS);
    }

    private void handedOver(final PlannedFailover current, final String reply)
    {
        if (!"+OK".equals(reply))
        {
            endFailover(current, "ERR FAILOVER: the standby did not take over (" + reply + "); writes accepted again");
            return;
        }
        demote(current.target.host(), current.target.port());
        LOG.warn("FAILOVER done: {}:{} is the primary, this node follows it", current.target.host(),
            current.target.port());
        endFailover(current, "+OK");
    }

    private void endFailover(final PlannedFailover current, final String result)
    {
        if (!result.startsWith("+"))
        {
            LOG.warn("{}", result);
        }
        current.result = result;
        failover = null;
        node.signal(FAILOVER_KEY);
    }

    /** A planned failover in progress. */
    private static final class PlannedFailover
    {
        private final StandbyLink target;
        private final long deadlineNs;
        private boolean handingOver;
        private String result;

        PlannedFailover(final StandbyLink target, final long deadlineNs)
        {
            this.target = target;
            this.deadlineNs = deadlineNs;
        }
    }

    private void waitCommand(final Connection connection, final RespRequest request, final RespWriter out)
    {
        final long wanted = request.argLong(1, -1);
        final long timeout = request.argLong(2, -1);
        if (wanted < 0 || timeout < 0)
        {
            out.error(wanted < 0 ? "ERR value is not an integer or out of range" :
                "ERR timeout is negative");
            return;
        }
        if (standby != null)
        {
            out.error("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a " +
                "replica is configured to be writable (which is not the default) writes to replicas are just local " +
                "and are not propagated.");
            return;
        }
        final ReplicatedCommandLog primary = primaryLog;
        final long target = node.sequencer().logSeq();
        if (primary == null || primary.standbysCovering(target) >= wanted)
        {
            out.integer(primary == null ? 0 : primary.standbysCovering(target));
            return;
        }
        connection.block(new BlockedCommand()
        {
            public boolean onSignal(final Connection blocked, final String key, final RespWriter reply)
            {
                final int count = primary.standbysCovering(target);
                if (count < wanted)
                {
                    return false;
                }
                reply.integer(count);
                return true;
            }

            public void onTimeout(final Connection blocked, final RespWriter reply)
            {
                reply.integer(primary.standbysCovering(target));
            }
        }, timeout, ACK_KEY);
    }

    private void role(final RespWriter out)
    {
        final StandbyAgent agent = standby;
        if (agent != null)
        {
            out.arrayHeader(5).bulk(SLAVE).bulk(agent.primaryHost()).integer(agent.primaryPort())
                .bulk(linkState(agent)).integer(node.sequencer().logSeq());
            return;
        }
        final ReplicatedCommandLog primary = primaryLog;
        final List<StandbyLink> links = primary == null ? List.of() : primary.standbys();
        out.arrayHeader(3).bulk(MASTER).integer(node.sequencer().logSeq()).arrayHeader(links.size());
        for (final StandbyLink link : links)
        {
            out.arrayHeader(3).bulk(link.host()).bulk(Integer.toString(link.port()))
                .bulk(Long.toString(link.ackedLogSeq()));
        }
    }

    private static String linkState(final StandbyAgent agent)
    {
        return agent.state() == StandbyAgent.LinkState.DIVERGED ? "connect" : agent.state().word();
    }

    private void info(final StringBuilder info)
    {
        final StandbyAgent agent = standby;
        final Sequencer sequencer = node.sequencer();
        final ArchiveCommandLog log = this.log;
        if (agent != null)
        {
            final boolean up = agent.state() == StandbyAgent.LinkState.CONNECTED ||
                agent.state() == StandbyAgent.LinkState.SYNC;
            InfoSection.field(info, "role", "slave");
            InfoSection.field(info, "master_host", agent.primaryHost());
            InfoSection.field(info, "master_port", agent.primaryPort());
            InfoSection.field(info, "master_link_status", up ? "up" : "down");
            InfoSection.field(info, "master_sync_in_progress", agent.state() == StandbyAgent.LinkState.SYNC ? 1 : 0);
            InfoSection.field(info, "master_last_io_ms_ago", agent.millisSinceReceive());
            InfoSection.field(info, "slave_repl_offset", sequencer.logSeq());
            InfoSection.field(info, "slave_read_only", 1);
            InfoSection.field(info, "link_state", agent.state().word());
            InfoSection.field(info, "sync_target_position", agent.syncTargetPosition());
            InfoSection.field(info, "entries_applied", agent.entriesApplied());
            final PrimaryStatusPoller primaryStatus = agent.primaryStatus();
            if (primaryStatus != null)
            {
                InfoSection.field(info, "master_committed_position", primaryStatus.committedLogSeq());
                InfoSection.field(info, "master_marked_out_of_sync", primaryStatus.outOfSync() ? 1 : 0);
                InfoSection.field(info, "master_status_ms_ago", primaryStatus.millisSinceAnswer());
            }
            if (agent.divergence() != null)
            {
                InfoSection.field(info, "divergence", agent.divergence().replace('\r', ' ').replace('\n', ' '));
            }
        }
        else
        {
            final ReplicatedCommandLog primary = primaryLog;
            final List<StandbyLink> links = primary == null ? List.of() : primary.standbys();
            InfoSection.field(info, "role", "master");
            InfoSection.field(info, "connected_slaves", links.size());
            final long nowNs = System.nanoTime();
            for (int i = 0; i < links.size(); i++)
            {
                final StandbyLink link = links.get(i);
                final long behind = Math.max(0, sequencer.logSeq() - link.ackedLogSeq());
                info.append("slave").append(i).append(":ip=").append(link.host()).append(",port=").append(link.port())
                    .append(",state=").append(link.outOfSync() ? "out_of_sync" : "online")
                    .append(",offset=").append(link.ackedLogSeq())
                    .append(",acked_position=").append(link.ackedPosition())
                    .append(",lag_entries=").append(behind)
                    .append(",lag_ms=").append(behind == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(nowNs - link.lastProgressNs()))
                    .append(",last_ack_ms_ago=").append(TimeUnit.NANOSECONDS.toMillis(nowNs - link.lastAckNs()))
                    .append("\r\n");
            }
            InfoSection.field(info, "master_repl_offset", sequencer.logSeq());
            InfoSection.field(info, "ack_mode", primary == null ? "local" : primary.effectiveAckMode().configName());
            InfoSection.field(info, "ack_mode_configured", context.ackMode() == null ? "default" :
                context.ackMode().configName());
            InfoSection.field(info, "ack_timeout_ms", context.ackTimeoutMs());
            InfoSection.field(info, "ack_degrade", context.ackDegrade() ? 1 : 0);
            InfoSection.field(info, "degraded", primary != null && primary.isDegraded() ? 1 : 0);
            InfoSection.field(info, "waiting_for_standby", primary != null && primary.isWaitingForStandby() ? 1 : 0);
            InfoSection.field(info, "fenced", primary != null && primary.isFenced() ? 1 : 0);
            InfoSection.field(info, "acked_position", primary == null ? 0 : primary.ackedLogSeq());
            if (promotionMillis >= 0)
            {
                InfoSection.field(info, "promotion_ms", promotionMillis);
            }
        }
        InfoSection.field(info, "epoch", log == null ? 0 : log.epoch());
        InfoSection.field(info, "epoch_start_seq", log != null && epochStartEpoch == log.epoch() ? epochStartSeq : -1);
        InfoSection.field(info, "log_position", sequencer.logSeq());
        InfoSection.field(info, "committed_position", node.committedLogSeq());
        if (log != null)
        {
            InfoSection.field(info, "log_byte_position", log.appendedPosition());
            InfoSection.field(info, "log_recording_id", log.recordingId());
            InfoSection.field(info, "log_term_length", log.context().termLength());
            InfoSection.field(info, "replication_port", logContext.replicationPort());
        }
    }
}
