package io.redmatch.router;

/** A shard file that cannot be read or is invalid; the message names the file and line. */
public final class ShardMapException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, and where.
     */
    public ShardMapException(final String message)
    {
        super(message);
    }
}
