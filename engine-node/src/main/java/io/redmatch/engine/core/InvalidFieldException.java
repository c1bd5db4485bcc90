package io.redmatch.engine.core;

/**
 * A value that breaks a rule, reported as {@code -INVALID <FIELD>: <why>}. Thrown only on slow paths
 * (pair administration, configuration); the order hot path uses result codes.
 */
public final class InvalidFieldException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String why;

    public InvalidFieldException(final String field, final String why)
    {
        super("INVALID " + field + ": " + why, null, false, false);
        this.field = field;
        this.why = why;
    }

    public String field()
    {
        return field;
    }

    public String why()
    {
        return why;
    }
}
