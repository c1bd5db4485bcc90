package io.redmatch.perf.replay;

import io.redmatch.perf.flow.FlowOp;

import java.util.List;

/**
 * What one replay benchmark measured, printed as machine-readable lines of {@code key=value} fields: one
 * {@code RESULT} line and one {@code OP} line per operation type.
 *
 * @param opsPerSecond       operations of all throughput passes over their total time.
 * @param medianOpsPerSecond the median throughput pass (the slower middle one for an even count).
 * @param bestOpsPerSecond   the fastest single throughput pass.
 * @param opsPerCpuSecond    operations of the throughput passes per CPU-second of the whole process (the replay
 *                           thread, the JIT compilers and the collectors), which does not depend on who else runs.
 * @param allocBytesPerOp    bytes the replay thread allocated per operation during the throughput passes.
 * @param gcCount            collections during the throughput and latency passes.
 * @param gcMillis           accumulated collection time reported by the collectors during those passes.
 * @param timerOverheadNs    median cost of one {@code System.nanoTime()} call pair, included in every latency value.
 * @param latency            per-operation latency over all latency passes.
 * @param latencyByOp        the same, by {@link FlowOp} code.
 */
public record ReplayResult(
    String engine,
    String implementation,
    long flowSeed,
    int flowOps,
    int warmupPasses,
    int passes,
    int latencyPasses,
    double opsPerSecond,
    double medianOpsPerSecond,
    double bestOpsPerSecond,
    double opsPerCpuSecond,
    double allocBytesPerOp,
    long gcCount,
    long gcMillis,
    long timerOverheadNs,
    long fills,
    long volume,
    long fillHash,
    int openOrders,
    LatencySummary latency,
    List<LatencySummary> latencyByOp)
{
    /** @return the {@code RESULT} line. */
    public String resultLine()
    {
        final StringBuilder line = new StringBuilder(512);
        line.append("RESULT engine=").append(engine)
            .append(" impl=").append(implementation)
            .append(" flow_seed=").append(flowSeed)
            .append(" flow_ops=").append(flowOps)
            .append(" warmup_passes=").append(warmupPasses)
            .append(" passes=").append(passes)
            .append(" latency_passes=").append(latencyPasses)
            .append(" ops_per_s=").append(Math.round(opsPerSecond))
            .append(" median_ops_per_s=").append(Math.round(medianOpsPerSecond))
            .append(" best_ops_per_s=").append(Math.round(bestOpsPerSecond))
            .append(" ops_per_cpu_s=").append(Math.round(opsPerCpuSecond))
            .append(" alloc_b_per_op=").append(String.format("%.2f", allocBytesPerOp))
            .append(" gc_count=").append(gcCount)
            .append(" gc_ms=").append(gcMillis)
            .append(" timer_overhead_ns=").append(timerOverheadNs);
        latency.appendTo(line);
        line.append(" fills=").append(fills)
            .append(" volume=").append(volume)
            .append(" fill_hash=").append(Long.toHexString(fillHash))
            .append(" open_orders=").append(openOrders);
        return line.toString();
    }

    /** @return the {@code OP} line of one operation type. */
    public String opLine(final int op)
    {
        final StringBuilder line = new StringBuilder(256);
        line.append("OP engine=").append(engine).append(" op=").append(FlowOp.name(op));
        latencyByOp.get(op).appendTo(line);
        return line.toString();
    }
}
