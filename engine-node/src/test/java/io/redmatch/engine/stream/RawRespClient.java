package io.redmatch.engine.stream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A RESP client for tests that returns each reply as the exact bytes the server sent, so replies can be compared
 * byte for byte with redis-server's. Reads one complete RESP2 or RESP3 value per command.
 */
final class RawRespClient implements AutoCloseable
{
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawRespClient(final int port) throws IOException
    {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a command of arguments and returns its reply's bytes as text (RESP is ASCII framed). */
    String call(final String... args) throws IOException
    {
        send(args);
        return read();
    }

    void send(final String... args) throws IOException
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (final String arg : args)
        {
            final byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            frame.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            frame.write(bytes);
            frame.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    String read() throws IOException
    {
        final ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readValue(reply);
        return reply.toString(StandardCharsets.UTF_8);
    }

    private void readValue(final ByteArrayOutputStream reply) throws IOException
    {
        final String line = readLine(reply);
        final char type = line.charAt(0);
        switch (type)
        {
            case '+', '-', ':', '_', '#', ',', '(':
                return;
            case '$', '=', '!':
            {
                final int length = Integer.parseInt(line.substring(1));
                if (length >= 0)
                {
                    reply.write(in.readNBytes(length + 2));
                }
                return;
            }
            case '*', '~', '>':
            {
                final int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < count; i++)
                {
                    readValue(reply);
                }
                return;
            }
            case '%', '|':
            {
                final int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < count * 2; i++)
                {
                    readValue(reply);
                }
                return;
            }
            default:
                throw new IOException("not RESP: " + line);
        }
    }

    private String readLine(final ByteArrayOutputStream reply) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int previous = -1;
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("connection closed after " + reply.size() + " bytes");
            }
            reply.write(b);
            if (previous == '\r' && b == '\n')
            {
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char)b);
            previous = b;
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
