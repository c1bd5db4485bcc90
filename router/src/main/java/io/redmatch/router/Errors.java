package io.redmatch.router;

import java.nio.charset.StandardCharsets;

/** Encoded error replies the router writes itself. */
final class Errors
{
    private Errors()
    {
    }

    /** @return {@code -<message>\r\n}, with any CR or LF in the message replaced so the frame stays one line. */
    static byte[] encode(final String message)
    {
        return ("-" + message.replace('\r', ' ').replace('\n', ' ') + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
