package io.redmatch.ops;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A node's RESP address, as ops takes it: {@code host:port}.
 *
 * @param host the host.
 * @param port the RESP port.
 */
public record NodeAddress(String host, int port)
{
    /**
     * @param text {@code host:port}.
     * @return the address.
     * @throws IllegalArgumentException when it is not one.
     */
    public static NodeAddress parse(final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        }
        final int port;
        try
        {
            port = Integer.parseInt(text.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        }
        if (port <= 0 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range in '" + text + "'");
        }
        return new NodeAddress(text.substring(0, colon), port);
    }

    @Override
    public String toString()
    {
        return host + ":" + port;
    }

    /** picocli's converter for {@code host:port} options. */
    public static final class Converter implements ITypeConverter<NodeAddress>
    {
        @Override
        public NodeAddress convert(final String value)
        {
            try
            {
                return parse(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new TypeConversionException(ex.getMessage());
            }
        }
    }
}
