package io.redmatch.replicator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends one command to a node over RESP and returns the first line of its reply, e.g. a primary handing over to its
 * standby with {@code REPLICAOF NO ONE}. Blocking: not for an event loop.
 */
public final class NodeCommand
{
    private static final int TIMEOUT_MS = 5_000;

    private NodeCommand()
    {
    }

    /**
     * @param host the node's host.
     * @param port its RESP port.
     * @param args the command and its arguments.
     * @return the first line of the reply, without CRLF: {@code +OK}, {@code -ERR ...}, {@code :1}...
     * @throws UncheckedIOException when the node cannot be reached or does not answer in time.
     */
    public static String call(final String host, final int port, final String... args)
    {
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (final String arg : args)
        {
            final byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(bytes);
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            final OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            final InputStream in = socket.getInputStream();
            final StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n')
            {
                if (c != '\r')
                {
                    line.append((char)c);
                }
            }
            return line.toString();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot send " + args[0] + " to " + host + ":" + port, ex);
        }
    }
}
