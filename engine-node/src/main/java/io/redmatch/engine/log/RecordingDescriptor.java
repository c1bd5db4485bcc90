package io.redmatch.engine.log;

import io.aeron.archive.CatalogView;
import io.aeron.archive.client.AeronArchive;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the archive's catalog says of the command log's recording: where it starts and stops and the Aeron
 * parameters a publication extending it must reuse.
 *
 * @param recordingId    the archive's id of the recording.
 * @param startPosition  where it starts, 0 for the log.
 * @param stopPosition   where it stops, or {@link AeronArchive#NULL_POSITION} when it was not stopped cleanly.
 * @param initialTermId  the term id at position 0.
 * @param termLength     the term length.
 * @param segmentLength  the length of its segment files.
 * @param mtu            the maximum frame length.
 * @param streamId       its stream id.
 */
public record RecordingDescriptor(
    long recordingId,
    long startPosition,
    long stopPosition,
    int initialTermId,
    int termLength,
    int segmentLength,
    int mtu,
    int streamId)
{
    /**
     * Reads the descriptor of the log's recording from the catalog of an archive that is not running, e.g. to repair
     * its tail before it starts. When several recordings of the stream exist, the newest is the log.
     *
     * @param archiveDir the archive's directory.
     * @param streamId   the log's stream id.
     * @return the descriptor, or null when the archive holds no recording of that stream.
     */
    public static RecordingDescriptor readCatalog(final Path archiveDir, final int streamId)
    {
        if (!Files.exists(archiveDir.resolve("archive.catalog")))
        {
            return null;
        }
        final RecordingDescriptor[] found = new RecordingDescriptor[1];
        final File dir = archiveDir.toFile();
        CatalogView.listRecordings(dir, (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp,
            startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId,
            recordingStreamId, strippedChannel, originalChannel, sourceIdentity) ->
        {
            if (recordingStreamId == streamId && (found[0] == null || recordingId > found[0].recordingId()))
            {
                found[0] = new RecordingDescriptor(recordingId, startPosition, stopPosition, initialTermId,
                    termBufferLength, segmentFileLength, mtuLength, recordingStreamId);
            }
        });
        return found[0];
    }

    /**
     * Asks a running archive for the descriptor of the log's recording.
     *
     * @param archive  a client of the archive.
     * @param streamId the log's stream id.
     * @return the descriptor, or null when the archive holds no recording of that stream.
     */
    public static RecordingDescriptor list(final AeronArchive archive, final int streamId)
    {
        final RecordingDescriptor[] found = new RecordingDescriptor[1];
        archive.listRecordings(0, Integer.MAX_VALUE, (controlSessionId, correlationId, recordingId, startTimestamp,
            stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength,
            sessionId, recordingStreamId, strippedChannel, originalChannel, sourceIdentity) ->
        {
            if (recordingStreamId == streamId && (found[0] == null || recordingId > found[0].recordingId()))
            {
                found[0] = new RecordingDescriptor(recordingId, startPosition, stopPosition, initialTermId,
                    termBufferLength, segmentFileLength, mtuLength, recordingStreamId);
            }
        });
        return found[0];
    }

    /** @return true when the catalog knows where the recording stops. */
    public boolean isStopped()
    {
        return stopPosition != AeronArchive.NULL_POSITION;
    }

    /**
     * @param position a position in the recording.
     * @return the base position of the segment file holding it.
     */
    public long segmentBasePosition(final long position)
    {
        return AeronArchive.segmentFileBasePosition(startPosition, position, termLength, segmentLength);
    }
}
