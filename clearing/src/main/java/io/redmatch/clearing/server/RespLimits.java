package io.redmatch.clearing.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringHeaderRedisMessage;
import io.netty.handler.codec.redis.RedisCodecException;
import io.netty.util.ReferenceCountUtil;

/**
 * Enforces request limits between {@code RedisDecoder} and the aggregators, which would otherwise size their buffers
 * from whatever length a client announces: at most {@link #MAX_ARGS} arguments, each at most {@link #MAX_BULK} bytes,
 * and no nested arrays (a command is a flat array of bulk strings).
 */
final class RespLimits extends ChannelInboundHandlerAdapter
{
    /** Arguments per command. */
    static final int MAX_ARGS = 1024;
    /** Bytes per argument. */
    static final int MAX_BULK = 64 * 1024;

    private int depth;
    private long remainingElements;

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof ArrayHeaderRedisMessage)
        {
            final long length = ((ArrayHeaderRedisMessage)msg).length();
            if (depth > 0)
            {
                fail(msg, "nested arrays are not commands");
            }
            if (length > MAX_ARGS)
            {
                fail(msg, "too many arguments (" + length + " > " + MAX_ARGS + ")");
            }
            if (length > 0)
            {
                depth = 1;
                remainingElements = length;
            }
        }
        else if (msg instanceof BulkStringHeaderRedisMessage)
        {
            final int length = ((BulkStringHeaderRedisMessage)msg).bulkStringLength();
            if (length > MAX_BULK)
            {
                fail(msg, "argument too long (" + length + " > " + MAX_BULK + " bytes)");
            }
        }
        else if (depth > 0 && isElementEnd(msg) && --remainingElements == 0)
        {
            depth = 0;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isElementEnd(final Object msg)
    {
        // a bulk string ends with its last content; other elements are whole messages
        return !(msg instanceof io.netty.handler.codec.redis.BulkStringRedisContent) ||
            msg instanceof io.netty.handler.codec.redis.LastBulkStringRedisContent;
    }

    private static void fail(final Object msg, final String why)
    {
        ReferenceCountUtil.release(msg);
        throw new RedisCodecException(why);
    }
}
