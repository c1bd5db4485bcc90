package io.redmatch.replicator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What a standby needs to know about its primary, asked over RESP: {@code INFO replication} of the primary lists
 * {@code replication_port} (its archive's control endpoint and ack endpoint), {@code log_recording_id},
 * {@code log_term_length}, {@code epoch} and {@code log_position}.
 *
 * @param host            the primary's host, as given to {@code --replicaof}.
 * @param respPort        its RESP port.
 * @param replicationPort its replication (UDP) port.
 * @param recordingId     the archive recording of its command log.
 * @param termLength      the term length of its log publication.
 * @param epoch           its epoch.
 * @param logPosition     its log position when asked.
 * @param role            its role ({@code master} or {@code slave}).
 * @param localAddress    the address this host used to reach it: where the primary can reach this host back.
 */
public record PrimaryEndpoint(
    String host,
    int respPort,
    int replicationPort,
    long recordingId,
    int termLength,
    long epoch,
    long logPosition,
    String role,
    String localAddress)
{
    private static final int TIMEOUT_MS = 5_000;
    private static final byte[] INFO_REPLICATION = "*2\r\n$4\r\nINFO\r\n$11\r\nreplication\r\n"
        .getBytes(StandardCharsets.US_ASCII);

    /**
     * Asks a node for its replication endpoint.
     *
     * @param host the node's host.
     * @param port its RESP port.
     * @return what it answered.
     * @throws UncheckedIOException when it cannot be reached.
     * @throws IllegalStateException when it answers an error or lacks a field (e.g. it keeps no command log).
     */
    public static PrimaryEndpoint query(final String host, final int port)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            final OutputStream out = socket.getOutputStream();
            out.write(INFO_REPLICATION);
            out.flush();
            final Map<String, String> fields = parseInfo(readBulk(new BufferedInputStream(socket.getInputStream())));
            return new PrimaryEndpoint(host, port, intField(fields, "replication_port"),
                longField(fields, "log_recording_id"), intField(fields, "log_term_length"), longField(fields, "epoch"),
                longField(fields, "log_position"), fields.getOrDefault("role", "?"),
                socket.getLocalAddress().getHostAddress());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot ask " + host + ":" + port + " for its replication endpoint", ex);
        }
    }

    /**
     * Asks a node for its {@code INFO replication} fields.
     *
     * @param host the node's host.
     * @param port its RESP port.
     * @return its {@code field:value} lines.
     * @throws UncheckedIOException when it cannot be reached.
     * @throws IllegalStateException when it answers an error.
     */
    public static Map<String, String> replicationInfo(final String host, final int port)
    {
        return info(host, port, "replication");
    }

    /**
     * Asks a node for the fields of one {@code INFO} section.
     *
     * @param host    the node's host.
     * @param port    its RESP port.
     * @param section e.g. {@code persistence}.
     * @return its {@code field:value} lines.
     * @throws UncheckedIOException when it cannot be reached.
     * @throws IllegalStateException when it answers an error.
     */
    public static Map<String, String> info(final String host, final int port, final String section)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            final OutputStream out = socket.getOutputStream();
            out.write(("*2\r\n$4\r\nINFO\r\n$" + section.length() + "\r\n" + section + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parseInfo(readBulk(new BufferedInputStream(socket.getInputStream())));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot ask " + host + ":" + port + " for INFO " + section, ex);
        }
    }

    /**
     * @param text an INFO reply.
     * @return its {@code field:value} lines.
     */
    public static Map<String, String> parseInfo(final String text)
    {
        final Map<String, String> fields = new HashMap<>();
        for (final String line : text.split("\r\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#"))
            {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    private static String readBulk(final InputStream in) throws IOException
    {
        final String header = readLine(in);
        if (header.startsWith("-"))
        {
            throw new IllegalStateException("the node answered " + header.substring(1));
        }
        if (!header.startsWith("$"))
        {
            throw new IllegalStateException("unexpected reply to INFO: " + header);
        }
        final byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String readLine(final InputStream in) throws IOException
    {
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

    private static long longField(final Map<String, String> fields, final String name)
    {
        final String value = fields.get(name);
        if (value == null)
        {
            throw new IllegalStateException("the node's INFO replication has no " + name +
                " (does it keep a command log?)");
        }
        return Long.parseLong(value.trim());
    }

    private static int intField(final Map<String, String> fields, final String name)
    {
        return Math.toIntExact(longField(fields, name));
    }
}
