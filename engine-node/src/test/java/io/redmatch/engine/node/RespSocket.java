package io.redmatch.engine.node;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw blocking RESP client for tests that must send exactly the bytes they mean, hostile ones included, and see
 * exactly what comes back. Replies decode to: String (simple string), {@link Error} (error), Long (integer), String
 * (bulk, ISO-8859-1), List (array, set, push, map flattened), null (nil).
 */
final class RespSocket implements AutoCloseable
{
    /** An error reply. */
    record Error(String message)
    {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespSocket(final int port) throws IOException
    {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    Socket socket()
    {
        return socket;
    }

    RespSocket send(final String text) throws IOException
    {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RespSocket send(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a command as a RESP array of bulk strings. */
    RespSocket command(final String... args) throws IOException
    {
        return send(encode(args));
    }

    static String encode(final String... args)
    {
        final StringBuilder frame = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (final String arg : args)
        {
            frame.append('$').append(arg.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n")
                .append(arg).append("\r\n");
        }
        return frame.toString();
    }

    Object call(final String... args) throws IOException
    {
        command(args);
        return read();
    }

    Object read() throws IOException
    {
        final int type = in.read();
        if (type < 0)
        {
            throw new EOFException("connection closed");
        }
        final String line = line();
        switch (type)
        {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '_':
                return null;
            case '#':
                return line.equals("t");
            case ',':
                return Double.parseDouble(line);
            case '$':
            case '=':
            {
                final int length = Integer.parseInt(line);
                if (length < 0)
                {
                    return null;
                }
                final byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            case '*':
            case '~':
            case '>':
            case '%':
            {
                int count = Integer.parseInt(line);
                if (count < 0)
                {
                    return null;
                }
                if (type == '%')
                {
                    count *= 2;
                }
                final List<Object> elements = new ArrayList<>(count);
                for (int i = 0; i < count; i++)
                {
                    elements.add(read());
                }
                return elements;
            }
            default:
                throw new IOException("unexpected type byte " + type + " then " + line);
        }
    }

    /** @return true when the server closed the connection (reads EOF within the socket timeout). */
    boolean closedByServer() throws IOException
    {
        try
        {
            return in.read() < 0;
        }
        catch (final java.net.SocketException ex)
        {
            return true;
        }
    }

    private String line() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("connection closed in a line");
            }
            if (b == '\r')
            {
                final int lf = in.read();
                if (lf != '\n')
                {
                    throw new IOException("CR without LF");
                }
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    public void close() throws IOException
    {
        socket.close();
    }
}
