/**
 * The Aeron side of redmatch replication, used by the engine node: a standby follows its primary's archived command
 * log ({@link io.redmatch.replicator.LogFollower}), found over RESP ({@link io.redmatch.replicator.PrimaryEndpoint}),
 * and acknowledges what it recorded ({@link io.redmatch.replicator.AckPublisher} to
 * {@link io.redmatch.replicator.AckAdapter}, messages {@link io.redmatch.replicator.StandbyAck}); a standby behind its
 * primary's purged log copies the primary's snapshot first ({@link io.redmatch.replicator.SnapshotFetcher}).
 */
package io.redmatch.replicator;
