/**
 * Snapshots of a node's matching state at a position of its command log: the file format
 * ({@link io.redmatch.engine.snapshot.SnapshotFile}: magic, format version, header and per-section CRC32C), the
 * encoder and decoder the state's owners write and read themselves with
 * ({@link io.redmatch.engine.snapshot.SnapshotWriter}, {@link io.redmatch.engine.snapshot.SnapshotReader}), and the
 * directory of snapshots of a data dir ({@link io.redmatch.engine.snapshot.SnapshotStore}). Plain Java and Agrona, no
 * Aeron or Netty, so the tools read snapshots with the same code. See {@code docs/ARCHITECTURE.md}.
 */
package io.redmatch.engine.snapshot;
