package io.redmatch.engine.stream;

import io.redmatch.engine.node.Command;
import io.redmatch.engine.node.CommandGroup;
import io.redmatch.engine.node.CommandTable;
import io.redmatch.engine.node.EngineNode;
import io.redmatch.engine.node.InfoSection;
import io.redmatch.engine.node.Sequencer;
import io.redmatch.engine.resp.RespWriter;

/**
 * The Redis stream commands over the node's fill streams, {@code fills:<PAIR>}: {@code XRANGE}, {@code XREVRANGE},
 * {@code XLEN}, {@code XREAD}, {@code XINFO STREAM|GROUPS|CONSUMERS}, {@code XGROUP
 * CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER}, {@code XREADGROUP}, {@code XACK} and {@code XPENDING}, with
 * redis-server 7's reply shapes in RESP2 and RESP3 and its error messages. Built over the node's
 * {@link FillStreamRegistry} and registered like any group:
 * <pre>{@code
 * final FillStreamRegistry fills = new FillStreamRegistry();
 * context.addCommandGroup(new MatchingCommandGroup(fills)).addCommandGroup(new StreamCommands(fills));
 * }</pre>
 * Registering sets the registry's commit listener, so a commit of any pair's fills wakes the clients blocked on it.
 * <p>
 * <b>Keys.</b> Fill streams are the only keys a node has. {@code fills:<PAIR>} of a pair not served here answers
 * {@code -NOPAIR} (after syntax checks, as SPEC §3 orders them). Any other key is a key that does not exist, and gets
 * what Redis gives for one: {@code XRANGE} an empty array, {@code XLEN} 0, {@code XREAD} nothing (and {@code BLOCK}
 * waits out its timeout), {@code XACK} 0, {@code XINFO} {@code -ERR no such key}, {@code XREADGROUP} and
 * {@code XPENDING} {@code -NOGROUP}, {@code XGROUP} the "requires the key to exist" error; {@code MKSTREAM} cannot
 * create one, so {@code XGROUP CREATE ... MKSTREAM} on it is an error. {@code MKSTREAM} is accepted and has nothing
 * to do on a fill stream, which exists from {@code PAIR.ADD} on.
 * <p>
 * <b>IDs.</b> Fill {@code n} is entry {@code n-0}, and a plain number {@code n} is the ID {@code n-0} everywhere, also
 * as an exclusive end: {@code XRANGE fills:P - (5} stops at fill 4 (Redis would read {@code (5} as
 * {@code (5-18446744073709551615} there). {@code XADD}, {@code XDEL}, {@code XTRIM} and {@code XSETID} do not exist:
 * only the matching engine writes fills, and only retention trims them.
 * <p>
 * <b>Visibility.</b> Plain reads ({@code XRANGE}, {@code XREVRANGE}, {@code XLEN}, {@code XREAD}, {@code XINFO},
 * {@code XPENDING}) see committed fills only. {@code XGROUP}, {@code XREADGROUP} and {@code XACK} are {@code WRITE}
 * commands: the sequencer stamps and logs them before they run, a standby refuses them, and everything they record
 * (delivery and seen times, trimming) uses that stamp's engine time, so a standby applying the log reaches the same
 * state. {@code XREADGROUP} delivers the fills appended before it in log order; they are durable whenever its reply
 * is, since they precede it in the log. An {@code XREADGROUP} or {@code XACK} that provably changes nothing (nothing
 * to deliver, read back or acknowledge) is not logged, so a consumer polling an idle stream does not grow the log. A
 * blocked {@code XREADGROUP} is logged when a commit wakes it with something to deliver, and its delivery takes
 * effect at that log position; see {@link StreamGroupReader}.
 * <p>
 * <b>Limits.</b> One {@code XREAD} or {@code XREADGROUP} returns at most {@link #READ_COUNT_MAX_DEFAULT} entries per
 * stream (configurable), whatever its {@code COUNT}, so a reader far behind catches up in bounded replies instead of
 * one that could exceed its output limit; readers loop from the last ID they got anyway. {@code XRANGE} keeps Redis's
 * semantics: without {@code COUNT}, the whole range.
 * <p>
 * Every handler runs on the node's event loop, which owns the streams.
 */
public final class StreamCommands implements CommandGroup
{
    /** Most entries per stream one {@code XREAD} or {@code XREADGROUP} returns, unless configured. */
    public static final long READ_COUNT_MAX_DEFAULT = 10_000;

    private static final String GROUP = "stream";

    private final FillStreamRegistry streams;
    private final long readCountMax;
    private Sequencer sequencer;

    /**
     * Stream commands over a node's fill streams, with the default read limit.
     *
     * @param streams the node's fill streams, the registry the matching engine creates pairs' streams in.
     */
    public StreamCommands(final FillStreamRegistry streams)
    {
        this(streams, READ_COUNT_MAX_DEFAULT);
    }

    /**
     * Stream commands over a node's fill streams.
     *
     * @param streams      the node's fill streams.
     * @param readCountMax most entries per stream one {@code XREAD} or {@code XREADGROUP} returns.
     */
    public StreamCommands(final FillStreamRegistry streams, final long readCountMax)
    {
        if (readCountMax <= 0)
        {
            throw new IllegalArgumentException("readCountMax must be positive: " + readCountMax);
        }
        this.streams = streams;
        this.readCountMax = readCountMax;
    }

    /** Registers the commands and the {@code INFO streams} section, and wakes blocked readers on commits. */
    public void register(final CommandTable table, final EngineNode node)
    {
        sequencer = node.sequencer();
        final StreamKeys keys = new StreamKeys(streams);
        final FillEntryWriter entries = new FillEntryWriter();
        final StreamReadCommands reads = new StreamReadCommands(keys, entries, readCountMax);
        final StreamGroupCommands groups = new StreamGroupCommands(keys, entries, node);
        final StreamGroupReader groupReader = new StreamGroupReader(keys, entries, node, readCountMax);
        final StreamInfoCommands info = new StreamInfoCommands(keys, entries);
        streams.commitListener((stream) -> node.signal(stream.keyName()));

        table.register("XRANGE", -4, Command.READONLY, (c, r, o) -> reads.range(r, o, false))
            .keys(1, 1, 1).group(GROUP).complexity("O(N) with N the number of entries returned")
            .summary("Returns the committed fills with IDs in a range")
            .syntax("<key> <start> <end> [COUNT <count>]");
        table.register("XREVRANGE", -4, Command.READONLY, (c, r, o) -> reads.range(r, o, true))
            .keys(1, 1, 1).group(GROUP).complexity("O(N) with N the number of entries returned")
            .summary("Returns the committed fills with IDs in a range, newest first")
            .syntax("<key> <end> <start> [COUNT <count>]");
        table.register("XLEN", 2, Command.READONLY | Command.FAST, (c, r, o) -> reads.length(r, o))
            .keys(1, 1, 1).group(GROUP).complexity("O(1)")
            .summary("Returns the number of committed fills held").syntax("<key>");
        table.register("XREAD", -4, Command.READONLY | Command.BLOCKING, reads::read)
            .group(GROUP).complexity("O(N) with N the number of entries returned")
            .summary("Returns fills after the given IDs of one or more pairs, waiting for them with BLOCK")
            .syntax("[COUNT <count>] [BLOCK <milliseconds>] STREAMS <key> [<key> ...] <id> [<id> ...]");
        table.register("XREADGROUP", -7, Command.WRITE | Command.BLOCKING, groupReader::read)
            .stateChangeCheck(groupReader::changesState)
            .group(GROUP).complexity("O(M) with M the number of entries returned")
            .summary("Delivers new fills to a consumer of a group, or reads its pending ones back")
            .syntax("GROUP <group> <consumer> [COUNT <count>] [BLOCK <milliseconds>] [NOACK] " +
                "STREAMS <key> [<key> ...] <id> [<id> ...]");
        table.register("XACK", -4, Command.WRITE | Command.FAST, (c, r, o) -> groups.ack(r, o))
            .stateChangeCheck(groups::ackChangesState).keys(1, 1, 1).group(GROUP).complexity("O(1) for each ID")
            .summary("Acknowledges fills delivered to a group").syntax("<key> <group> <id> [<id> ...]");
        table.register("XPENDING", -3, Command.READONLY, (c, r, o) -> groups.pending(r, o, readNow()))
            .keys(1, 1, 1).group(GROUP).complexity("O(N) with N the number of entries returned")
            .summary("Returns the fills delivered to a group and not acknowledged")
            .syntax("<key> <group> [[IDLE <min-idle-time>] <start> <end> <count> [<consumer>]]");

        table.registerSubcommand("XGROUP", "CREATE", -5, Command.WRITE, (c, r, o) -> groups.create(r, o))
            .keys(2, 2, 1).group(GROUP).summary("Creates a consumer group")
            .syntax("<key> <group> <id|$> [MKSTREAM] [ENTRIESREAD <entries-read>]");
        table.registerSubcommand("XGROUP", "SETID", -5, Command.WRITE, (c, r, o) -> groups.setId(r, o))
            .keys(2, 2, 1).group(GROUP).summary("Sets the last delivered ID of a consumer group")
            .syntax("<key> <group> <id|$> [ENTRIESREAD <entries-read>]");
        table.registerSubcommand("XGROUP", "DESTROY", 4, Command.WRITE, (c, r, o) -> groups.destroy(r, o))
            .keys(2, 2, 1).group(GROUP).summary("Destroys a consumer group").syntax("<key> <group>");
        table.registerSubcommand(
            "XGROUP", "CREATECONSUMER", 5, Command.WRITE, (c, r, o) -> groups.createConsumer(r, o))
            .keys(2, 2, 1).group(GROUP).summary("Creates a consumer in a group").syntax("<key> <group> <consumer>");
        table.registerSubcommand(
            "XGROUP", "DELCONSUMER", 5, Command.WRITE, (c, r, o) -> groups.deleteConsumer(r, o))
            .keys(2, 2, 1).group(GROUP).summary("Deletes a consumer and drops its pending fills from the group")
            .syntax("<key> <group> <consumer>");
        table.registerSubcommand(
            "XGROUP", "HELP", 2, Command.READONLY | Command.LOADING | Command.STALE, (c, r, o) -> xgroupHelp(o))
            .group(GROUP).summary("Shows the XGROUP subcommands");

        table.registerSubcommand("XINFO", "STREAM", -3, Command.READONLY, (c, r, o) -> info.stream(r, o))
            .keys(2, 2, 1).group(GROUP).summary("Returns information about a fill stream")
            .syntax("<key> [FULL [COUNT <count>]]");
        table.registerSubcommand("XINFO", "GROUPS", 3, Command.READONLY, (c, r, o) -> info.groups(r, o))
            .keys(2, 2, 1).group(GROUP).summary("Returns the consumer groups of a fill stream").syntax("<key>");
        table.registerSubcommand(
            "XINFO", "CONSUMERS", 4, Command.READONLY, (c, r, o) -> info.consumers(r, o, readNow()))
            .keys(2, 2, 1).group(GROUP).summary("Returns the consumers of a group").syntax("<key> <group>");
        table.registerSubcommand(
            "XINFO", "HELP", 2, Command.READONLY | Command.LOADING | Command.STALE, (c, r, o) -> xinfoHelp(o))
            .group(GROUP).summary("Shows the XINFO subcommands");

        node.info().register("streams", (section) ->
        {
            if (!node.isStateLoading())
            {
                streamsInfo(section);
            }
        });
    }

    /** Reads measure idle times to now: the wall clock, or the last stamp if the clock is behind it. */
    private long readNow()
    {
        return Math.max(Sequencer.systemMicros(), sequencer.engineTime());
    }

    private void streamsInfo(final StringBuilder info)
    {
        InfoSection.field(info, "fill_streams", streams.size());
        InfoSection.field(info, "fill_retention_micros", streams.retentionMicros());
        for (int i = 0; i < streams.size(); i++)
        {
            final FillStream stream = streams.get(i);
            long pending = 0;
            for (int g = 0; g < stream.groupCount(); g++)
            {
                pending += stream.group(g).pendingCount();
            }
            info.append("fills_").append(stream.spec().name()).append(':')
                .append("length=").append(stream.length())
                .append(",first_seq=").append(stream.firstSeq())
                .append(",last_seq=").append(stream.lastSeq())
                .append(",committed_seq=").append(stream.committedSeq())
                .append(",groups=").append(stream.groupCount())
                .append(",pending=").append(pending)
                .append("\r\n");
        }
    }

    private static void xgroupHelp(final RespWriter out)
    {
        help(out,
            "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CREATE <key> <groupname> <id|$> [MKSTREAM] [ENTRIESREAD <n>]",
            "    Create a consumer group of a fills:<PAIR> stream; MKSTREAM is accepted and has nothing to do.",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a consumer in a group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Delete a consumer; its pending fills leave the group's pending list.",
            "DESTROY <key> <groupname>",
            "    Delete a group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD <n>]",
            "    Set the last delivered ID of a group.",
            "HELP",
            "    Print this help.");
    }

    private static void xinfoHelp(final RespWriter out)
    {
        help(out,
            "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CONSUMERS <key> <groupname>",
            "    Show the consumers of a group.",
            "GROUPS <key>",
            "    Show the consumer groups of a fills:<PAIR> stream.",
            "STREAM <key> [FULL [COUNT <count>]]",
            "    Show information about a fills:<PAIR> stream.",
            "HELP",
            "    Print this help.");
    }

    private static void help(final RespWriter out, final String... lines)
    {
        out.arrayHeader(lines.length);
        for (final String line : lines)
        {
            out.simpleString(line);
        }
    }
}
