/**
 * Cluster operations, run as {@code ./redmatch ops}: one status table for a list of nodes ({@link StatusTool}), the
 * failover of a shard to its standby ({@link FailoverTool}) and snapshots ({@link SnapshotTool}). Everything goes
 * through the nodes' RESP commands ({@code ROLE}, {@code INFO}, {@code PAIRS}, {@code FAILOVER}, {@code REPLICAOF},
 * {@code BGSAVE}), so ops needs nothing but the nodes' addresses.
 */
package io.redmatch.ops;
