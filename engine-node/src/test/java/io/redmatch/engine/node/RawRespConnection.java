package io.redmatch.engine.node;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket to a node that sends exact bytes and reads back one whole reply at a time, as the exact bytes the
 * node wrote (RESP2 or RESP3), so tests can check the wire format itself.
 */
public final class RawRespConnection implements AutoCloseable
{
    private static final int TIMEOUT_MS = 30_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawRespConnection(final String host, final int port)
    {
        try
        {
            socket = new Socket(host, port);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return a RESP array of bulk strings holding these arguments. */
    public static byte[] encode(final byte[]... args)
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (final byte[] arg : args)
        {
            frame.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            frame.writeBytes(arg);
            frame.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return frame.toByteArray();
    }

    /** @return a RESP array of bulk strings holding these ASCII arguments. */
    public static byte[] encode(final String... args)
    {
        final byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++)
        {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return encode(bytes);
    }

    /** Sends bytes as they are. */
    public void send(final byte[] bytes)
    {
        try
        {
            out.write(bytes);
            out.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Sends a command and returns its reply's exact bytes as text. */
    public String call(final String... args)
    {
        send(encode(args));
        return readReply();
    }

    /** Reads one complete reply and returns its exact bytes as ISO-8859-1 text (one char per byte). */
    public String readReply()
    {
        final ByteArrayOutputStream reply = new ByteArrayOutputStream();
        try
        {
            readValue(reply);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return reply.toString(StandardCharsets.ISO_8859_1);
    }

    private void readValue(final ByteArrayOutputStream reply) throws IOException
    {
        final String line = readLine(reply);
        final char type = line.charAt(0);
        switch (type)
        {
            case '+', '-', ':', '_', ',', '#', '(':
                return;
            case '$', '=', '!':
                final int length = Integer.parseInt(line.substring(1));
                if (length >= 0)
                {
                    reply.writeBytes(in.readNBytes(length + 2));
                }
                return;
            case '*', '~', '>':
                final int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < count; i++)
                {
                    readValue(reply);
                }
                return;
            case '%', '|':
                final int pairs = Integer.parseInt(line.substring(1));
                for (int i = 0; i < pairs * 2; i++)
                {
                    readValue(reply);
                }
                return;
            default:
                throw new IOException("not a RESP type: " + line);
        }
    }

    private String readLine(final ByteArrayOutputStream reply) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("connection closed after " + reply.size() + " bytes");
            }
            reply.write(b);
            if (b == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r')
            {
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char)b);
        }
    }

    @Override
    public void close()
    {
        try
        {
            socket.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
