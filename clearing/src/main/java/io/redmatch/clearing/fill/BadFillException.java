package io.redmatch.clearing.fill;

/** A fill entry that cannot be applied as it is: malformed, a field missing, or inconsistent. */
public final class BadFillException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the stream and entry.
     */
    public BadFillException(final String message)
    {
        super(message);
    }
}
