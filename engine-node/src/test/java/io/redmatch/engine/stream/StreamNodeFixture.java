package io.redmatch.engine.stream;

import io.netty.buffer.ByteBuf;
import io.redmatch.engine.core.PairSpec;
import io.redmatch.engine.core.Side;
import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.EngineNodeContext;
import io.redmatch.engine.node.MatchingCommandGroup;
import io.redmatch.engine.node.Sequencer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * An engine node on a free port serving fill streams with {@link StreamCommands} and without the matching engine:
 * tests make fills by appending to the streams on the node's event loop, as the engine would, and may record the
 * command log the sequencer writes.
 */
final class StreamNodeFixture implements AutoCloseable
{
    static final String[] ACCOUNTS = { "alice", "bob", "carol" };

    final FillStreamRegistry registry =
        new FillStreamRegistry(StreamNodeFixture::accountName, FillStream.RETENTION_MICROS_DEFAULT);
    final EngineNode node;
    final List<LoggedCommand> log = new ArrayList<>();

    /** One command as the sequencer logged it. */
    record LoggedCommand(long logSeq, long engineTime, byte[] frame)
    {
    }

    StreamNodeFixture()
    {
        this(StreamCommands.READ_COUNT_MAX_DEFAULT);
    }

    StreamNodeFixture(final long readCountMax)
    {
        final EngineNodeContext context = new EngineNodeContext().port(0);
        // the streams here are the fixture's own, filled by the test: no matching engine, no other stream commands
        context.commandGroups().removeIf((group) -> group instanceof StreamCommands ||
            group instanceof MatchingCommandGroup);
        node = new EngineNode(context.addCommandGroup(new StreamCommands(registry, readCountMax))).start();
        onLoop(() ->
        {
            node.sequencer().commandLog(this::record);
            return null;
        });
    }

    static byte[] accountName(final int accountId)
    {
        return ACCOUNTS[accountId].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    int port()
    {
        return node.port();
    }

    /** Adds a pair's stream, as {@code PAIR.ADD} does. */
    FillStream addPair(final String name)
    {
        return onLoop(() -> registry.create(PairSpec.of(name, "0.01", "0.00001", null, "0.001", "0.002")));
    }

    /** Appends and commits {@code count} fills with values derived from their sequence, as the engine would. */
    void fills(final FillStream stream, final int count)
    {
        onLoop(() ->
        {
            // fills are stamped as the engine would stamp them: now, never before the last command
            appendFills(stream, count, Math.max(Sequencer.systemMicros(), node.sequencer().engineTime()));
            return null;
        });
    }

    static void appendFills(final FillStream stream, final int count, final long ts)
    {
        for (int i = 0; i < count; i++)
        {
            final long seq = stream.lastSeq() + 1;
            stream.append(
                seq, 3_000_000 + seq * 25, 10_000 * seq, (3_000_000 + seq * 25) * 10_000 * seq,
                seq % 3 == 0 ? Side.SELL : Side.BUY, 100 + seq, 200 + seq, (int)(seq % 3), (int)((seq + 1) % 3),
                seq * 7, seq * 11, ts + seq);
        }
        stream.commit(stream.lastSeq());
    }

    <T> T onLoop(final Callable<T> task)
    {
        try
        {
            return node.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private void record(
        final long logSeq, final long engineTime, final ByteBuf frame, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        frame.getBytes(offset, bytes);
        synchronized (log)
        {
            log.add(new LoggedCommand(logSeq, engineTime, bytes));
        }
    }

    List<LoggedCommand> loggedCommands()
    {
        synchronized (log)
        {
            return new ArrayList<>(log);
        }
    }

    @Override
    public void close()
    {
        node.close();
    }
}
