package io.redmatch.tools;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redmatch.engine.log.LogEntry;
import io.redmatch.engine.log.RecordingFileReader;
import io.redmatch.engine.resp.RespParser;
import io.redmatch.engine.resp.RespRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * Prints a node's command log, one line per entry: the log position after it, log sequence, epoch, engine time (µs
 * and ISO-8601) and the command with its arguments. Reads the archive's segment files directly, read only, so it can
 * run next to the node.
 */
@Command(
    name = "log-dump",
    mixinStandardHelpOptions = true,
    description = "Prints the command log of a data dir, one line per entry.")
public final class LogDumpTool implements Callable<Integer>
{
    @Option(names = "--data-dir", required = true, paramLabel = "<dir>", description = "The node's data dir.")
    private Path dataDir;

    @Option(names = "--from", paramLabel = "<seq>", defaultValue = "1",
        description = "First log sequence to print (default: ${DEFAULT-VALUE}).")
    private long from;

    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "-1",
        description = "Most entries to print (default: all).")
    private long limit;

    private final PrintStream out;

    /** A tool printing to standard output. */
    public LogDumpTool()
    {
        this(System.out);
    }

    LogDumpTool(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public Integer call()
    {
        final RecordingFileReader reader = RecordingFileReader.open(dataDir);
        if (reader == null)
        {
            System.err.println("log-dump: no command log in " + dataDir);
            return 1;
        }
        final RespParser parser = new RespParser();
        final RespRequest request = new RespRequest();
        final StringBuilder line = new StringBuilder(256);
        final long[] printed = {0};
        final int[] bad = {0};
        out.println("# recording " + reader.recording().recordingId() + " from position " +
            reader.recording().startPosition());
        reader.read((endPosition, entry, length, invalid) ->
        {
            if (invalid != null)
            {
                out.println(endPosition + " INVALID " + invalid);
                bad[0]++;
                return true;
            }
            final long logSeq = LogEntry.logSeq(entry, 0);
            if (logSeq < from)
            {
                return true;
            }
            line.setLength(0);
            final long engineTime = LogEntry.engineTime(entry, 0);
            line.append(endPosition).append(" seq=").append(logSeq).append(" epoch=").append(LogEntry.epoch(entry, 0))
                .append(" time=").append(engineTime).append(' ')
                .append(Instant.ofEpochSecond(engineTime / 1_000_000, engineTime % 1_000_000 * 1_000));
            appendCommand(line, entry.byteArray(), (int)(entry.addressOffset() -
                org.agrona.BufferUtil.ARRAY_BASE_OFFSET) + LogEntry.HEADER_LENGTH, LogEntry.frameLength(entry, 0),
                parser, request);
            out.println(line);
            printed[0]++;
            return limit < 0 || printed[0] < limit;
        });
        out.flush();
        return bad[0] == 0 ? 0 : 3;
    }

    private static void appendCommand(
        final StringBuilder line, final byte[] array, final int offset, final int length, final RespParser parser,
        final RespRequest request)
    {
        final ByteBuf frame = Unpooled.wrappedBuffer(array, offset, length);
        parser.reset();
        if (parser.parse(frame, request) != RespParser.Result.COMMAND)
        {
            line.append(" <not a RESP command: ").append(parser.errorMessage()).append('>');
            return;
        }
        for (int i = 0; i < request.argCount(); i++)
        {
            line.append(' ');
            appendArgument(line, request.argBytes(i));
        }
    }

    /** Appends an argument as it is when it is plain printable ASCII, quoted with escapes otherwise. */
    static void appendArgument(final StringBuilder line, final byte[] bytes)
    {
        boolean plain = bytes.length > 0;
        for (final byte b : bytes)
        {
            plain &= b > ' ' && b < 0x7F && b != '"' && b != '\\';
        }
        if (plain)
        {
            for (final byte b : bytes)
            {
                line.append((char)b);
            }
            return;
        }
        line.append('"');
        for (final byte b : bytes)
        {
            if (b >= ' ' && b < 0x7F && b != '"' && b != '\\')
            {
                line.append((char)b);
            }
            else
            {
                line.append(String.format("\\x%02x", b & 0xFF));
            }
        }
        line.append('"');
    }
}
