package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The composition root of an engine node: builds the {@link Sequencer}, the {@link CommandTable} with every
 * {@link CommandGroup} of the context, Pub/Sub, blocking, INFO, and the RESP server, and starts and stops them.
 * <p>
 * <b>Threading.</b> All clients are served by one event loop thread, {@link #eventLoop()}, and the node's state
 * (matching included) is confined to it, as {@code redis-server}'s is: single writer, no locks. Command handlers,
 * blocked commands, gates and INFO sections run on it; other threads hand work over with
 * {@code node.eventLoop().execute(...)}.
 * <p>
 * <b>Life cycle.</b> The constructor registers the command groups (so the table is complete before any client
 * connects); {@link #start()} binds, calls {@link CommandGroup#onStart(EngineNode)} on the event loop, and returns
 * once the node has recovered its state from its command log (clients get {@code -LOADING} meanwhile, see
 * {@link #beginRecovery()}); {@link #close()} stops everything and returns once stopped; {@link #shutdown()} does the same in the background,
 * for {@code SHUTDOWN} and signal handlers. {@link #terminationFuture()} completes when the node has stopped.
 */
public final class EngineNode implements AutoCloseable
{
    /** The node's version, reported as {@code redmatch_version}. */
    public static final String VERSION = "0.1.0";

    /** The Redis version whose commands and reply shapes the node follows, reported to clients. */
    public static final String REDIS_VERSION = "7.2.0";

    private static final Logger LOG = LoggerFactory.getLogger(EngineNode.class);

    private final EngineNodeContext context;
    private final Sequencer sequencer;
    private final CommandTable commandTable = new CommandTable();
    private final PubSub pubSub = new PubSub();
    private final BlockingKeys blockingKeys = new BlockingKeys();
    private final InfoSections info = new InfoSections();
    private final ServerStats stats = new ServerStats();
    private final List<CommandGate> gates = new ArrayList<>();
    private final List<CommandGroup> groups;
    private final Long2ObjectHashMap<Connection> connections = new Long2ObjectHashMap<>();
    private final CommandDispatcher dispatcher;
    private final GroupCommit groupCommit;
    private final RespServer server;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final CompletableFuture<Void> recovered = new CompletableFuture<>();
    private final List<Runnable> afterRecovery = new ArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean shutdownRequested;
    private final String runId;
    private final long startMillis = System.currentTimeMillis();
    private long nextConnectionId = 1;
    private boolean started;
    private boolean recoveryBegun;
    private volatile boolean loading;
    private boolean stateLoading;
    private volatile String role = "master";
    private MatchingEngine matchingEngine;

    /**
     * Builds a node and registers its command groups; nothing listens until {@link #start()}.
     *
     * @param context the configuration, concluded here.
     */
    public EngineNode(final EngineNodeContext context)
    {
        this.context = context.conclude();
        this.sequencer = new Sequencer(Sequencer::systemMicros, CommandLog.NONE);
        this.dispatcher = new CommandDispatcher(this);
        this.groupCommit = new GroupCommit(this);
        this.server = new RespServer(this);
        final byte[] random = new byte[20];
        new SecureRandom().nextBytes(random);
        this.runId = HexFormat.of().formatHex(random);

        groups = new ArrayList<>(context.commandGroups());
        groups.add(new UnsupportedCommands());
        for (final CommandGroup group : groups)
        {
            group.register(commandTable, this);
        }
    }

    /**
     * Binds the server, starts the command groups and returns once the node's state is recovered from its command log
     * (at once without one). A node that fails to start is closed.
     *
     * @return this node.
     * @throws IllegalStateException when it cannot bind, cannot recover its state, or was started before.
     */
    public EngineNode start()
    {
        if (started)
        {
            throw new IllegalStateException("already started");
        }
        started = true;
        // a node with a command log recovers before it serves: -LOADING from the first command a client can send
        loading = context.logEnabled();
        server.start();
        LOG.info("engine node listening on {}:{} ({}, {} commands)",
            context.bindAddress(), port(), server.transportName(), commandTable.size());
        try
        {
            eventLoop().submit(() ->
            {
                for (final CommandGroup group : groups)
                {
                    group.onStart(this);
                }
                if (!recoveryBegun)
                {
                    recovered();
                }
            }).sync();
            recovered.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting", ex);
        }
        catch (final RuntimeException ex)
        {
            close();
            final Throwable cause = ex instanceof CompletionException && ex.getCause() != null ?
                ex.getCause() : ex;
            throw cause instanceof RuntimeException ? (RuntimeException)cause :
                new IllegalStateException("cannot start: " + cause.getMessage(), cause);
        }
        if (context.logEnabled())
        {
            LOG.info("engine node ready: state recovered, writes accepted");
        }
        return this;
    }

    /** Stops the node: closes every connection, the command groups and the server; returns once stopped. */
    @Override
    public void close()
    {
        if (!closing.compareAndSet(false, true))
        {
            terminated.join();
            return;
        }
        try
        {
            if (started)
            {
                server.stop(this::closeOnEventLoop);
            }
            LOG.info("engine node stopped");
        }
        finally
        {
            recovered.completeExceptionally(new IllegalStateException("the node stopped before it recovered"));
            terminated.complete(null);
        }
    }

    /** Stops the node in the background, e.g. from {@code SHUTDOWN}, which runs on the event loop it stops. */
    public void shutdown()
    {
        shutdownRequested = true;
        final Thread thread = new Thread(this::close, "redmatch-shutdown");
        thread.setDaemon(false);
        thread.start();
    }

    /** @return true once {@link #shutdown()} was called, e.g. by {@code SHUTDOWN}, which works while loading too. */
    public boolean isShutdownRequested()
    {
        return shutdownRequested;
    }

    /** @return completes when the node has stopped. */
    public CompletableFuture<Void> terminationFuture()
    {
        return terminated;
    }

    /** @return the configuration. */
    public EngineNodeContext context()
    {
        return context;
    }

    /** @return the sequencer every {@link Command#WRITE} command passes through. */
    public Sequencer sequencer()
    {
        return sequencer;
    }

    /** @return the command table. */
    public CommandTable commandTable()
    {
        return commandTable;
    }

    /** @return the Pub/Sub registry, to publish the node's messages. */
    public PubSub pubSub()
    {
        return pubSub;
    }

    /** @return the blocked connections by key. */
    public BlockingKeys blockingKeys()
    {
        return blockingKeys;
    }

    /**
     * Wakes the connections blocked on {@code key} (after the current task); see {@link BlockingKeys#signal}.
     *
     * @param key e.g. a stream name.
     */
    public void signal(final String key)
    {
        blockingKeys.signal(key);
    }

    /** @return the INFO sections, to add one. */
    public InfoSections info()
    {
        return info;
    }

    /**
     * Makes the matching state known to the node's other groups, e.g. snapshots; called by the group that owns it,
     * while registering.
     *
     * @param engine the node's matching state.
     */
    public void matchingEngine(final MatchingEngine engine)
    {
        this.matchingEngine = engine;
    }

    /** @return the node's matching state, or null when no group owns one. */
    public MatchingEngine matchingEngine()
    {
        return matchingEngine;
    }

    /** @return the connection layer's counters. */
    public ServerStats stats()
    {
        return stats;
    }

    /**
     * Adds a check every command passes after its arity, in the order added; see {@link CommandGate}. Call it from
     * {@link CommandGroup#register(CommandTable, EngineNode)}, before the node starts (or on its event loop).
     *
     * @param gate the check.
     */
    public void addGate(final CommandGate gate)
    {
        gates.add(gate);
        dispatcher.gates(gates.toArray(new CommandGate[0]));
    }

    /**
     * Runs a task once the node's state is recovered: at once when the node keeps no command log (there is nothing to
     * recover), otherwise on the event loop right after the log was replayed, before writes are accepted. Commands a
     * group issues itself at start (the configured pairs) belong here, so that they follow the recovered log.
     *
     * @param task the task.
     */
    public void afterRecovery(final Runnable task)
    {
        if (context.logEnabled() && !recovered.isDone())
        {
            afterRecovery.add(task);
        }
        else
        {
            task.run();
        }
    }

    /**
     * Marks the node as loading, from a group's {@link CommandGroup#onStart(EngineNode)} that recovers the state from
     * the command log: commands without the {@link Command#LOADING} flag are answered {@code -LOADING} (by the gate of
     * the group that called this) and Pub/Sub stays quiet until {@link #recovered()} or {@link #recoveryFailed}.
     */
    public void beginRecovery()
    {
        recoveryBegun = true;
        loading = true;
        pubSub.muted(true);
    }

    /**
     * The state is recovered, on the event loop: runs the {@link #afterRecovery(Runnable)} tasks, ends loading, and
     * lets {@link #start()} return.
     */
    public void recovered()
    {
        pubSub.muted(false);
        groupCommit.committed();
        try
        {
            for (final Runnable task : afterRecovery)
            {
                task.run();
            }
            afterRecovery.clear();
        }
        catch (final RuntimeException ex)
        {
            recoveryFailed(ex);
            return;
        }
        loading = false;
        groupCommit.schedule();
        recovered.complete(null);
    }

    /**
     * The state cannot be recovered: {@link #start()} fails with this cause and the node stops.
     *
     * @param cause why.
     */
    public void recoveryFailed(final Throwable cause)
    {
        recovered.completeExceptionally(cause);
    }

    /**
     * Hands the matching state to a thread that loads it (a snapshot at start), from the event loop: until
     * {@link #endStateLoad()}, nothing on the event loop may read it, so {@code INFO} leaves out the sections that
     * would (and every command that reads it gets {@code -LOADING} anyway, see {@link #beginRecovery()}).
     */
    public void beginStateLoad()
    {
        stateLoading = true;
    }

    /** The matching state is back on the event loop, from a task the loading thread handed over; on the event loop. */
    public void endStateLoad()
    {
        stateLoading = false;
    }

    /** @return true while another thread loads the matching state; on the event loop. */
    public boolean isStateLoading()
    {
        return stateLoading;
    }

    /** @return true while the node recovers its state at start: loads a snapshot, replays its command log. */
    public boolean isLoading()
    {
        return loading;
    }

    /**
     * Adds a task run on the event loop whenever commands become durable (after each group commit, and once after
     * recovery), e.g. to move the fill streams' commit watermark.
     *
     * @param listener the task.
     */
    public void addCommitListener(final Runnable listener)
    {
        groupCommit.addCommitListener(listener);
    }

    /**
     * Queues a group commit, for commands logged without a client waiting on them (a standby applying its primary's
     * log): the commit listeners run once they are durable.
     */
    public void scheduleCommit()
    {
        groupCommit.schedule();
    }

    /** @return the log sequence of the last command known durable; on the event loop. */
    public long committedLogSeq()
    {
        return groupCommit.committedLogSeq();
    }

    /** @return how many group commits waited for the command log; on the event loop. */
    public long groupCommits()
    {
        return groupCommit.batches();
    }

    /** @return the event loop that owns the node's state; null before {@link #start()}. */
    public EventLoop eventLoop()
    {
        return server.eventLoop();
    }

    /** @return the port the server listens on (the chosen one when configured with 0); -1 before start. */
    public int port()
    {
        return server.port();
    }

    /** @return the network transport in use: {@code epoll} or {@code nio}. */
    public String transportName()
    {
        return server.transportName();
    }

    /** @return a random id of this run, as Redis's {@code run_id}. */
    public String runId()
    {
        return runId;
    }

    /** @return the node's role as {@code HELLO} reports it: {@code master} or {@code replica}. */
    public String role()
    {
        return role;
    }

    /**
     * Sets the role {@code HELLO} reports, when replication promotes or demotes the node.
     *
     * @param role {@code master} or {@code replica}.
     */
    public void role(final String role)
    {
        this.role = role;
    }

    /** @return when the node was built, epoch milliseconds. */
    public long startMillis()
    {
        return startMillis;
    }

    /** @return the open client connections, by id; on the event loop only. */
    public List<Connection> connections()
    {
        final List<Connection> list = new ArrayList<>(connections.values());
        list.sort((a, b) -> Long.compare(a.id(), b.id()));
        return Collections.unmodifiableList(list);
    }

    /** @return the number of open client connections. */
    public int connectionCount()
    {
        return connections.size();
    }

    /**
     * @param id a connection id.
     * @return the open connection with that id, or null.
     */
    public Connection connection(final long id)
    {
        return connections.get(id);
    }

    /**
     * Applies a command read back from the command log, on the event loop: adopts its stamps with
     * {@link Sequencer#replay(long, long)}, then runs its handler as a live command would, without sequencing it
     * again and with its reply discarded.
     *
     * @param frame      holds the command as a RESP array of bulk strings.
     * @param offset     where the command starts.
     * @param length     its length.
     * @param logSeq     its log sequence number.
     * @param engineTime its engine time.
     * @return true when it was a complete, known command and ran.
     */
    public boolean replay(
        final ByteBuf frame, final int offset, final int length, final long logSeq, final long engineTime)
    {
        sequencer.replay(logSeq, engineTime);
        return dispatcher.replay(frame, offset, length);
    }

    CommandDispatcher dispatcher()
    {
        return dispatcher;
    }

    GroupCommit groupCommit()
    {
        return groupCommit;
    }

    long nextConnectionId()
    {
        return nextConnectionId++;
    }

    void addConnection(final Connection connection)
    {
        connections.put(connection.id(), connection);
    }

    void removeConnection(final Connection connection)
    {
        connections.remove(connection.id());
    }

    boolean isClosing()
    {
        return closing.get();
    }

    private void closeOnEventLoop()
    {
        for (final Connection connection : new ArrayList<>(connections.values()))
        {
            connection.handler().closeNow();
        }
        for (final CommandGroup group : groups)
        {
            try
            {
                group.close();
            }
            catch (final RuntimeException ex)
            {
                LOG.error("closing command group {} failed", group.getClass().getSimpleName(), ex);
            }
        }
        dispatcher.close();
    }
}
