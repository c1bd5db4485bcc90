/**
 * RESP on the command hot path, allocation free: {@link io.redmatch.engine.resp.RespParser} parses commands in place
 * into the {@link io.redmatch.engine.resp.RespRequest} flyweight, and {@link io.redmatch.engine.resp.RespWriter}
 * encodes replies, RESP2 or RESP3, straight into the connection's output buffer. Netty's {@code codec-redis} is the
 * reference decoder in tests (see {@code RespParser} for why it is not used on the hot path).
 */
package io.redmatch.engine.resp;
