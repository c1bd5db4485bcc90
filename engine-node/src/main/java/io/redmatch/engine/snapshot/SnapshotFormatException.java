package io.redmatch.engine.snapshot;

/** A snapshot file that cannot be read: bad magic, unknown format version, checksum mismatch, truncated. */
public final class SnapshotFormatException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, for the log line that skips the file. */
    public SnapshotFormatException(final String message)
    {
        super(message);
    }
}
