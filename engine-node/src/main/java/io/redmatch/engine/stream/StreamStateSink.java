package io.redmatch.engine.stream;

/**
 * Receives the state of a fill stream as a canonical sequence of values, for a digest of the node's state
 * ({@code DEBUG DIGEST}): two nodes that applied the same command log feed the same values in the same order.
 */
public interface StreamStateSink
{
    /**
     * Adds a number.
     *
     * @param value the number.
     */
    void add(long value);

    /**
     * Adds a byte string, which the sink must delimit (e.g. by its length) so adjacent strings cannot run together.
     *
     * @param bytes the bytes; the sink must not keep or change them.
     */
    void add(byte[] bytes);
}
