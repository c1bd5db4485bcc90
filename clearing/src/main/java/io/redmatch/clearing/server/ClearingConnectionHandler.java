package io.redmatch.clearing.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.RedisCodecException;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * One client connection: turns each aggregated request into arguments, runs it, and writes the replies in request
 * order (a {@code LEDGER.CHECK} completes later, and replies pipelined behind it wait for it). A malformed frame gets
 * {@code -ERR Protocol error: ...} and the connection is closed.
 */
final class ClearingConnectionHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(ClearingConnectionHandler.class);
    private static final int MAX_PENDING_REPLIES = 10_000;

    private final ClearingCommands commands;
    private final Queue<CompletableFuture<RedisMessage>> replies = new ArrayDeque<>();
    private boolean closing;

    ClearingConnectionHandler(final ClearingCommands commands)
    {
        this.commands = commands;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (closing)
            {
                return;
            }
            final List<String> args = arguments(msg);
            if (args == null)
            {
                reply(ctx, CompletableFuture.completedFuture(
                    new ErrorRedisMessage("ERR Protocol error: a command is an array of bulk strings")));
                closing = true;
                return;
            }
            if (args.isEmpty())
            {
                return;
            }
            if (replies.size() >= MAX_PENDING_REPLIES)
            {
                reply(ctx, CompletableFuture.completedFuture(new ErrorRedisMessage("ERR too many pending replies")));
                closing = true;
                return;
            }
            if ("QUIT".equalsIgnoreCase(args.get(0)))
            {
                reply(ctx, CompletableFuture.completedFuture(Replies.OK));
                closing = true;
                return;
            }
            reply(ctx, commands.execute(args));
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof DecoderException || cause instanceof RedisCodecException)
        {
            final Throwable why = cause.getCause() == null || cause instanceof RedisCodecException ? cause :
                cause.getCause();
            reply(ctx, CompletableFuture.completedFuture(new ErrorRedisMessage("ERR Protocol error: " +
                why.getMessage())));
            closing = true;
        }
        else
        {
            LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private void reply(final ChannelHandlerContext ctx, final CompletableFuture<RedisMessage> future)
    {
        replies.add(future);
        if (future.isDone())
        {
            drain(ctx);
        }
        else
        {
            future.whenComplete((message, failure) -> ctx.executor().execute(() -> drain(ctx)));
        }
    }

    private void drain(final ChannelHandlerContext ctx)
    {
        boolean wrote = false;
        while (!replies.isEmpty() && replies.peek().isDone())
        {
            final CompletableFuture<RedisMessage> done = replies.poll();
            RedisMessage message;
            try
            {
                message = done.join();
            }
            catch (final RuntimeException ex)
            {
                message = new ErrorRedisMessage("ERR " + ex.getMessage());
            }
            ctx.write(message);
            wrote = true;
        }
        if (wrote)
        {
            if (closing && replies.isEmpty())
            {
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            else
            {
                ctx.flush();
            }
        }
    }

    private static List<String> arguments(final Object msg)
    {
        if (msg instanceof InlineCommandRedisMessage)
        {
            final List<String> args = new ArrayList<>();
            for (final String word : ((InlineCommandRedisMessage)msg).content().trim().split("\\s+"))
            {
                if (!word.isEmpty())
                {
                    args.add(word);
                }
            }
            return args;
        }
        if (!(msg instanceof ArrayRedisMessage))
        {
            return null;
        }
        final ArrayRedisMessage array = (ArrayRedisMessage)msg;
        if (array.isNull())
        {
            return List.of();
        }
        final List<String> args = new ArrayList<>(array.children().size());
        for (final RedisMessage child : array.children())
        {
            if (!(child instanceof FullBulkStringRedisMessage) || ((FullBulkStringRedisMessage)child).isNull())
            {
                return null;
            }
            final ByteBuf content = ((FullBulkStringRedisMessage)child).content();
            args.add(content.toString(StandardCharsets.UTF_8));
        }
        return args;
    }
}
