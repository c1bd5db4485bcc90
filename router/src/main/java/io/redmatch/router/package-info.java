/**
 * The router: one RESP endpoint in front of a cluster of shards (docs/ROUTER.md).
 * <p>
 * {@link io.redmatch.router.Topology} holds the shard map ({@link io.redmatch.router.ShardMap}, reloaded on change)
 * and each shard's state ({@link io.redmatch.router.ShardState}: its primary, found by
 * {@link io.redmatch.router.PrimaryProbe}). On each event loop, {@link io.redmatch.router.ClientSession}s parse
 * commands in place with the engine node's flyweight parser, {@link io.redmatch.router.CommandDispatcher} picks the
 * shard, and {@link io.redmatch.router.UpstreamConnection}s shared by the loop's clients carry commands and replies;
 * replies are cut at frame boundaries by {@link io.redmatch.router.ReplyScanner} and passed through byte for byte.
 */
package io.redmatch.router;
