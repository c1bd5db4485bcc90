package io.redmatch.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Asks the members of a shard who is primary: {@code ROLE} (first element {@code master}) and the {@code epoch}
 * field of {@code INFO replication} (missing = 0). Among members claiming master, the highest epoch wins; on a tie
 * the first in the shard file. Blocking sockets with short timeouts, on the shard's own probe thread: a member that
 * hangs (SIGSTOP) costs at most the timeouts and is treated as down.
 */
final class PrimaryProbe
{
    private static final byte[] REQUEST = ("*1\r\n$4\r\nROLE\r\n*2\r\n$4\r\nINFO\r\n$11\r\nreplication\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_REPLY_BYTES = 64 * 1024;

    /** What a probe found: the primary (or null), its epoch, and a line for logs and {@code INFO}. */
    record Result(InetSocketAddress primary, long epoch, Set<InetSocketAddress> timedOut, String summary)
    {
    }

    private final int connectTimeoutMs;
    private final int readTimeoutMs;

    PrimaryProbe(final int connectTimeoutMs, final int readTimeoutMs)
    {
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
    }

    Result findPrimary(final List<InetSocketAddress> members)
    {
        InetSocketAddress best = null;
        long bestEpoch = -1;
        final StringBuilder summary = new StringBuilder();
        final Set<InetSocketAddress> timedOut = new HashSet<>();
        for (final InetSocketAddress member : members)
        {
            final String label = member.getHostString() + ":" + member.getPort();
            try
            {
                final long epoch = askMember(member);
                summary.append(summary.length() == 0 ? "" : ", ").append(label)
                    .append(epoch < 0 ? " not master" : " master epoch " + epoch);
                if (epoch > bestEpoch)
                {
                    best = member;
                    bestEpoch = epoch;
                }
            }
            catch (final IOException ex)
            {
                if (ex instanceof SocketTimeoutException)
                {
                    timedOut.add(member);
                }
                summary.append(summary.length() == 0 ? "" : ", ").append(label).append(" down (")
                    .append(ex.getMessage()).append(')');
            }
        }
        return new Result(best, Math.max(0, bestEpoch), timedOut, summary.toString());
    }

    /** @return the member's epoch when it claims master, else -1. */
    private long askMember(final InetSocketAddress member) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(member, connectTimeoutMs);
            socket.setSoTimeout(readTimeoutMs);
            socket.setTcpNoDelay(true);
            final OutputStream out = socket.getOutputStream();
            out.write(REQUEST);
            out.flush();
            final ByteBuf replies = Unpooled.buffer(1024);
            final InputStream in = socket.getInputStream();
            final byte[] chunk = new byte[4096];
            int roleEnd;
            int infoEnd;
            while (true)
            {
                roleEnd = ReplyScanner.scan(replies, 0, replies.writerIndex());
                infoEnd = roleEnd < 0 ? roleEnd : ReplyScanner.scan(replies, roleEnd, replies.writerIndex());
                if (roleEnd == ReplyScanner.MALFORMED || infoEnd == ReplyScanner.MALFORMED)
                {
                    throw new IOException("malformed reply");
                }
                if (infoEnd >= 0)
                {
                    break;
                }
                final int read = in.read(chunk);
                if (read < 0)
                {
                    throw new IOException("connection closed");
                }
                if (replies.writerIndex() + read > MAX_REPLY_BYTES)
                {
                    throw new IOException("reply too long");
                }
                replies.writeBytes(chunk, 0, read);
            }
            final String role = replies.toString(0, roleEnd, StandardCharsets.UTF_8);
            if (!isMaster(role))
            {
                return -1;
            }
            return epoch(replies.toString(roleEnd, infoEnd - roleEnd, StandardCharsets.UTF_8));
        }
    }

    private static boolean isMaster(final String roleReply)
    {
        // *3\r\n$6\r\nmaster\r\n...; anything else (an error, slave, sentinel) is not a primary
        return roleReply.startsWith("*") && roleReply.indexOf("$6\r\nmaster\r\n") == roleReply.indexOf("\r\n") + 2;
    }

    private static long epoch(final String infoReply)
    {
        for (final String line : infoReply.split("\r\n"))
        {
            if (line.startsWith("epoch:"))
            {
                try
                {
                    return Long.parseLong(line.substring("epoch:".length()).trim());
                }
                catch (final NumberFormatException ex)
                {
                    return 0;
                }
            }
        }
        return 0;
    }
}
