package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespWriter;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One client connection as command handlers see it: its identity, protocol, Pub/Sub subscriptions, and the means to
 * block it while a command waits. Lives on the node's event loop; every method must be called there.
 * <p>
 * <b>Blocking.</b> A handler that has nothing to reply yet (e.g. {@code XREAD BLOCK} with no new entries) creates a
 * {@link BlockedCommand}, calls {@link #block(BlockedCommand, long, String...)} with the keys it waits on, and returns
 * without writing a reply. The connection then executes none of its further pipelined commands (they stay buffered)
 * until the blocked command completes: when a command or task calls {@link EngineNode#signal(String)} with one of
 * the keys, the node calls {@link BlockedCommand#onSignal}, which writes the reply and returns true (or false to keep
 * waiting); when the timeout passes first, {@link BlockedCommand#onTimeout} writes the timeout reply. Either way the
 * reply is flushed and the connection resumes its pipeline.
 */
public final class Connection
{
    private final long id;
    private final EngineNode node;
    private final RespWriter writer;
    private final ConnectionHandler handler;
    private final String remoteAddress;
    private final String localAddress;
    private final long createdMillis;
    private long lastInteractionMillis;
    private String name = "";
    private String libName = "";
    private String libVersion = "";
    private Command lastCommand;
    private Set<String> channels;
    private Set<String> patterns;
    private BlockedCommand blockedCommand;
    private Object attachment;
    private boolean closed;

    Connection(
        final long id,
        final EngineNode node,
        final RespWriter writer,
        final ConnectionHandler handler,
        final String remoteAddress,
        final String localAddress,
        final long nowMillis)
    {
        this.id = id;
        this.node = node;
        this.writer = writer;
        this.handler = handler;
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
        this.createdMillis = nowMillis;
        this.lastInteractionMillis = nowMillis;
    }

    /** @return the connection's id, unique for the life of the node, as {@code CLIENT ID} reports it. */
    public long id()
    {
        return id;
    }

    /** @return the node the connection belongs to. */
    public EngineNode node()
    {
        return node;
    }

    /** @return the writer of the connection's replies, in its protocol. */
    public RespWriter writer()
    {
        return writer;
    }

    /** @return {@link RespWriter#PROTOCOL_2} or {@link RespWriter#PROTOCOL_3}. */
    public int protocol()
    {
        return writer.protocol();
    }

    /** @return true when the connection speaks RESP3. */
    public boolean isResp3()
    {
        return writer.isResp3();
    }

    /** @return the name set with {@code CLIENT SETNAME}, or empty. */
    public String name()
    {
        return name;
    }

    /**
     * Sets the connection's name.
     *
     * @param name the name, empty to clear.
     */
    public void name(final String name)
    {
        this.name = name;
    }

    /** @return the client library's name set with {@code CLIENT SETINFO LIB-NAME}, or empty. */
    public String libName()
    {
        return libName;
    }

    void libName(final String libName)
    {
        this.libName = libName;
    }

    /** @return the client library's version set with {@code CLIENT SETINFO LIB-VER}, or empty. */
    public String libVersion()
    {
        return libVersion;
    }

    void libVersion(final String libVersion)
    {
        this.libVersion = libVersion;
    }

    /** @return the client's address as {@code host:port}. */
    public String remoteAddress()
    {
        return remoteAddress;
    }

    /** @return the node's address of this connection as {@code host:port}. */
    public String localAddress()
    {
        return localAddress;
    }

    /** @return when the connection was accepted, epoch milliseconds. */
    public long createdMillis()
    {
        return createdMillis;
    }

    /** @return when the connection last sent a command, epoch milliseconds. */
    public long lastInteractionMillis()
    {
        return lastInteractionMillis;
    }

    /** @return the last command the connection ran, or null. */
    public Command lastCommand()
    {
        return lastCommand;
    }

    /** @return true when subscribed to at least one channel or pattern. */
    public boolean isSubscribed()
    {
        return subscriptionCount() > 0;
    }

    /** @return the number of channels and patterns subscribed to. */
    public int subscriptionCount()
    {
        return channelCount() + patternCount();
    }

    /** @return the number of channels subscribed to. */
    public int channelCount()
    {
        return channels == null ? 0 : channels.size();
    }

    /** @return the number of patterns subscribed to. */
    public int patternCount()
    {
        return patterns == null ? 0 : patterns.size();
    }

    /** @return bytes of replies not yet written to the socket. */
    public long pendingOutputBytes()
    {
        return handler == null ? writer.pendingBytes() : handler.pendingOutputBytes();
    }

    /** @return what a command group attached to this connection, or null. */
    public Object attachment()
    {
        return attachment;
    }

    /**
     * Attaches per-connection state of a command group (one slot; a group that needs it owns it).
     *
     * @param attachment the state, or null.
     */
    public void attach(final Object attachment)
    {
        this.attachment = attachment;
    }

    /**
     * Blocks the connection until {@code command} completes; see the class comment. Call from a handler, which then
     * returns without writing a reply.
     *
     * @param command       what to do when a key is signalled or the timeout passes.
     * @param timeoutMillis how long to wait at most; 0 waits forever.
     * @param keys          the keys to wait on, e.g. stream names; signalled with {@link EngineNode#signal(String)}.
     * @throws IllegalStateException when the connection is already blocked, or is the node's internal replay
     *                               connection.
     */
    public void block(final BlockedCommand command, final long timeoutMillis, final String... keys)
    {
        if (handler == null)
        {
            throw new IllegalStateException("a replayed command cannot block");
        }
        if (blockedCommand != null)
        {
            throw new IllegalStateException("connection " + id + " is already blocked");
        }
        if (timeoutMillis < 0)
        {
            throw new IllegalArgumentException("timeout is negative: " + timeoutMillis);
        }
        blockedCommand = command;
        node.blockingKeys().block(this, keys, timeoutMillis);
    }

    /** @return true while a command of this connection is blocked. */
    public boolean isBlocked()
    {
        return blockedCommand != null;
    }

    /** Closes the connection once the replies written so far are flushed, as {@code QUIT} does. */
    public void close()
    {
        if (handler != null)
        {
            handler.closeAfterFlush();
        }
    }

    /** @return true once the connection is closed or closing. */
    public boolean isClosed()
    {
        return closed;
    }

    BlockedCommand blockedCommand()
    {
        return blockedCommand;
    }

    /** The blocked command completed: flush its reply and resume the pipeline, after the current task. */
    void unblocked()
    {
        blockedCommand = null;
        if (handler != null)
        {
            handler.resumeLater();
        }
    }

    /** Asks for the connection's pending output to be flushed after the current task, e.g. after a publish. */
    void requestFlush()
    {
        if (handler != null)
        {
            handler.requestFlush();
        }
    }

    ConnectionHandler handler()
    {
        return handler;
    }

    void touch(final long nowMillis)
    {
        lastInteractionMillis = nowMillis;
    }

    void lastCommand(final Command command)
    {
        lastCommand = command;
    }

    void markClosed()
    {
        closed = true;
    }

    Set<String> channels()
    {
        if (channels == null)
        {
            channels = new LinkedHashSet<>();
        }
        return channels;
    }

    Set<String> patterns()
    {
        if (patterns == null)
        {
            patterns = new LinkedHashSet<>();
        }
        return patterns;
    }

    boolean hasChannels()
    {
        return channels != null && !channels.isEmpty();
    }

    boolean hasPatterns()
    {
        return patterns != null && !patterns.isEmpty();
    }

    void clearBlockedCommand()
    {
        blockedCommand = null;
    }

    @Override
    public String toString()
    {
        return "Connection{id=" + id + ", addr=" + remoteAddress + ", name=" + name + "}";
    }
}
