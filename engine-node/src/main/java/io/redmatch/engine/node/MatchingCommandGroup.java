package io.redmatch.engine.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redmatch.engine.replication.ReplicationContext;
import io.redmatch.engine.stream.FillStreamRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * The trading side of a node: builds the {@link MatchingEngine} over the node's fill streams and registers the
 * order, market data and pair commands, the {@code INFO pairs} section and the market-data publisher.
 */
public final class MatchingCommandGroup implements CommandGroup
{
    /** Configuration keys that add a pair at start-up. */
    public static final String PAIR_PROPERTY_PREFIX = "pair.";
    /** Configuration key: seconds of engine time a closed order stays readable (and its client id reserved). */
    public static final String CLOSED_ORDER_RETENTION_KEY = "closed-order-retention-seconds";
    /** Configuration key: seconds of engine time a fill stays in its stream once every consumer group acked it. */
    public static final String FILL_RETENTION_KEY = "fill-retention-seconds";
    /** Configuration key: most closed orders kept per pair, whatever their age. */
    public static final String MAX_CLOSED_ORDERS_KEY = "max-closed-orders";

    private static final Logger LOGGER = LoggerFactory.getLogger(MatchingCommandGroup.class);

    private final FillStreamRegistry streams;
    private MatchingEngine engine;

    public MatchingCommandGroup(final FillStreamRegistry streams)
    {
        this.streams = streams;
    }

    /** @return the engine, once registered. */
    public MatchingEngine engine()
    {
        return engine;
    }

    public void register(final CommandTable table, final EngineNode node)
    {
        final Properties config = node.context().configProperties();
        final long closedRetentionSeconds = Long.parseLong(config.getProperty(
            CLOSED_ORDER_RETENTION_KEY, String.valueOf(MatchingEngine.CLOSED_RETENTION_MICROS_DEFAULT / 1_000_000)));
        final int maxClosedOrders = Integer.parseInt(config.getProperty(
            MAX_CLOSED_ORDERS_KEY, String.valueOf(MatchingEngine.MAX_CLOSED_ORDERS_DEFAULT)));
        if (closedRetentionSeconds < 0 || maxClosedOrders < 0)
        {
            throw new IllegalArgumentException(
                CLOSED_ORDER_RETENTION_KEY + " and " + MAX_CLOSED_ORDERS_KEY + " must not be negative");
        }
        final long fillRetentionSeconds = Long.parseLong(config.getProperty(
            FILL_RETENTION_KEY, String.valueOf(streams.retentionMicros() / 1_000_000)));
        streams.retentionMicros(fillRetentionSeconds * 1_000_000);
        engine = new MatchingEngine(
            streams, new MarketDataPublisher(node.pubSub()), closedRetentionSeconds * 1_000_000, maxClosedOrders);
        LOGGER.info("closed orders kept {} s of engine time, at most {} per pair; fills kept {} s once acknowledged",
            closedRetentionSeconds, maxClosedOrders, fillRetentionSeconds);
        node.matchingEngine(engine);
        final OrderRecordWriter records = new OrderRecordWriter(engine.accounts());
        new OrderCommands(engine, node.sequencer(), records).register(table);
        new MarketCommands(engine, node.sequencer()).register(table);
        new PairCommands(engine).register(table);
        node.info().register("pairs", "Pairs", (info) -> pairsInfo(node, info));
        if (node.context().logEnabled())
        {
            engine.deferFillCommit(true);
            node.addCommitListener(engine::commitFills);
        }
        node.afterRecovery(() -> addConfiguredPairs(node));
    }

    /**
     * Adds the pairs of the configuration ({@code pair.<NAME>=TICK t LOT l ...}) that do not exist yet, each as a
     * {@code PAIR.ADD} command through the sequencer, so they are in the command log like any other change. Runs once
     * the node's state is recovered from its log, so a pair added by an earlier run is not added again.
     */
    private void addConfiguredPairs(final EngineNode node)
    {
        if (ReplicationContext.isStandby(node.context()))
        {
            // a standby's log holds its primary's entries only: its pairs come from there
            return;
        }
        final Properties properties = node.context().configProperties();
        final List<String> names = new ArrayList<>(properties.stringPropertyNames());
        Collections.sort(names);
        for (final String key : names)
        {
            if (!key.startsWith(PAIR_PROPERTY_PREFIX))
            {
                continue;
            }
            final String pair = key.substring(PAIR_PROPERTY_PREFIX.length());
            if (engine.pair(pair) != null)
            {
                continue;
            }
            final List<String> args = new ArrayList<>();
            args.add("PAIR.ADD");
            args.add(pair);
            args.addAll(Arrays.asList(properties.getProperty(key).trim().split("\\s+")));
            final ByteBuf frame = Unpooled.buffer();
            try
            {
                frame.writeByte('*').writeCharSequence(Integer.toString(args.size()), StandardCharsets.US_ASCII);
                frame.writeByte('\r').writeByte('\n');
                for (final String arg : args)
                {
                    final byte[] bytes = arg.getBytes(StandardCharsets.US_ASCII);
                    frame.writeByte('$').writeCharSequence(Integer.toString(bytes.length), StandardCharsets.US_ASCII);
                    frame.writeByte('\r').writeByte('\n').writeBytes(bytes).writeByte('\r').writeByte('\n');
                }
                final Sequencer sequencer = node.sequencer();
                sequencer.sequence(frame, 0, frame.readableBytes());
                node.replay(frame, 0, frame.readableBytes(), sequencer.logSeq(), sequencer.engineTime());
                if (engine.pair(pair) == null)
                {
                    throw new IllegalArgumentException("invalid pair in configuration: " + key + "=" +
                        properties.getProperty(key));
                }
                LOGGER.info("pair {} added from the configuration", pair);
            }
            finally
            {
                frame.release();
            }
        }
    }

    private void pairsInfo(final EngineNode node, final StringBuilder info)
    {
        if (node.isStateLoading())
        {
            return;
        }
        InfoSection.field(info, "pairs", engine.pairs().size());
        InfoSection.field(info, "accounts", engine.accounts().size());
        for (final PairEngine pair : engine.pairs())
        {
            info.append("pair_").append(pair.spec().name()).append(':')
                .append("status=").append(pair.halted() ? "HALTED" : "TRADING")
                .append(",open_orders=").append(pair.book().openOrderCount())
                .append(",fills=").append(pair.book().lastFillSeq())
                .append(",book_seq=").append(pair.bookSeq())
                .append("\r\n");
        }
    }
}
