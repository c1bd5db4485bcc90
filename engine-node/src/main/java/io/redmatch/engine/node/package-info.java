/**
 * The engine node: its RESP server, command table, connection-level commands, Pub/Sub, blocking, and the command
 * groups that make up a node.
 * <p>
 * <b>Adding commands.</b> Implement {@link io.redmatch.engine.node.CommandGroup} and list it in
 * {@link io.redmatch.engine.node.CommandGroups#standard()}. In {@code register(table, node)}:
 * <pre>{@code
 * table.register("ORDER.PLACE", -7, Command.WRITE, (connection, request, out) -> ...)   // Redis arity
 *     .group("trading").keys(1, 1, 1).summary("Places an order").syntax("<pair> <BUY|SELL> ...");
 * table.registerSubcommand("XINFO", "STREAM", 3, Command.READONLY, handler);            // XINFO STREAM
 * node.info().register("pairs", (info) -> InfoSection.field(info, "pairs", count));     // INFO pairs
 * node.addGate(gate);                                                                   // -LOADING, -READONLY...
 * }</pre>
 * A handler runs on the node's single event loop; it reads arguments from the
 * {@link io.redmatch.engine.resp.RespRequest} and writes exactly one reply to the
 * {@link io.redmatch.engine.resp.RespWriter}. {@link io.redmatch.engine.node.Command#WRITE} commands are stamped and
 * logged by the {@link io.redmatch.engine.node.Sequencer} before their handler runs.
 * <p>
 * <b>Blocking.</b> A handler with nothing to reply yet calls
 * {@link io.redmatch.engine.node.Connection#block(BlockedCommand, long, String...)} and returns; whoever makes the
 * awaited data available calls {@link io.redmatch.engine.node.EngineNode#signal(String)} with the key.
 * <p>
 * <b>Publishing.</b> After writing its reply, a handler publishes market data with
 * {@code node.pubSub().hasSubscribers(channel)} then {@code node.pubSub().publish(channel, ...)}.
 */
package io.redmatch.engine.node;
