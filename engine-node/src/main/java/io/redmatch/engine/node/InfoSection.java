package io.redmatch.engine.node;

/**
 * Writes the fields of one {@code INFO} section, registered with {@link InfoSections#register(String, InfoSection)}.
 * Runs on the node's event loop, off the hot path.
 */
@FunctionalInterface
public interface InfoSection
{
    /**
     * Appends the section's fields, one {@code name:value\r\n} line each, without the {@code # Title} line: the
     * {@link InfoSections} writes that.
     *
     * @param info the reply being built.
     */
    void write(StringBuilder info);

    /**
     * Appends one field line; a convenience for implementations.
     *
     * @param info  the reply being built.
     * @param name  the field name.
     * @param value its value; must not contain CR or LF.
     */
    static void field(final StringBuilder info, final String name, final Object value)
    {
        info.append(name).append(':').append(value).append("\r\n");
    }
}
