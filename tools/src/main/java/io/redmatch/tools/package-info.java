/**
 * Operator tools, run as {@code ./redmatch tools <command>}: {@link io.redmatch.tools.LogDumpTool} prints a node's
 * command log, {@link io.redmatch.tools.SnapshotDumpTool} a snapshot file, {@link io.redmatch.tools.DigestCompareTool}
 * compares the {@code DEBUG DIGEST} of several nodes. They read files with the engine node's own readers, so the
 * formats are written down once.
 */
package io.redmatch.tools;
