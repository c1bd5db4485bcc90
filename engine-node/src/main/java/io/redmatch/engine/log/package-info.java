/**
 * The durable command log of an engine node and its recovery: every state-changing command, in sequencer order, as a
 * checksummed {@link io.redmatch.engine.log.LogEntry} recorded by an Aeron Archive embedded in the node
 * ({@link io.redmatch.engine.log.ArchiveCommandLog}, {@link io.redmatch.engine.log.EmbeddedArchive}); replies are
 * released by the node's group commit once the archive has the batch. At start,
 * {@link io.redmatch.engine.log.PersistenceCommands} locks the data dir, cuts a torn tail
 * ({@link io.redmatch.engine.log.RecordingTailRepair}), replays the log ({@link io.redmatch.engine.log.LogReplayer})
 * and extends the same recording. Snapshots ({@link io.redmatch.engine.snapshot}) are taken by
 * {@link io.redmatch.engine.log.SnapshotTaker} and chosen at start by {@link io.redmatch.engine.log.SnapshotLoader};
 * recovery replays only the log after the snapshot, and segments below the kept snapshots are purged. See
 * {@code docs/ARCHITECTURE.md} and {@code docs/OPERATIONS.md}.
 */
package io.redmatch.engine.log;
