package io.redmatch.clearing.server;

import io.redmatch.clearing.Alarms;
import io.redmatch.clearing.ClearingService;
import io.redmatch.clearing.ClearingStats;
import io.redmatch.clearing.PairStatus;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code INFO [server|clearing|all]}: Redis's {@code # Section} and {@code key:value} lines.
 */
final class ClearingInfo
{
    private final ClearingService service;

    ClearingInfo(final ClearingService service)
    {
        this.service = service;
    }

    String render(final String section)
    {
        final String wanted = section.toLowerCase(Locale.ROOT);
        final boolean all = "all".equals(wanted) || "default".equals(wanted) || "everything".equals(wanted);
        final StringBuilder out = new StringBuilder();
        if (all || "server".equals(wanted))
        {
            server(out);
        }
        if (all || "clearing".equals(wanted))
        {
            if (out.length() > 0)
            {
                out.append("\r\n");
            }
            clearing(out);
        }
        return out.toString();
    }

    private void server(final StringBuilder out)
    {
        out.append("# Server\r\n");
        line(out, "redmatch_version", ClearingService.VERSION);
        line(out, "redmatch_role", "clearing");
        line(out, "redis_mode", "standalone");
        line(out, "process_id", ProcessHandle.current().pid());
        line(out, "tcp_port", service.port());
        line(out, "uptime_in_seconds", (System.currentTimeMillis() - service.startMillis()) / 1000);
    }

    private void clearing(final StringBuilder out)
    {
        final ClearingStats stats = service.stats();
        final List<Alarms.Alarm> recent = service.alarms().recent();
        out.append("# Clearing\r\n");
        line(out, "engine", stats.engine());
        line(out, "engine_connections", stats.connections());
        line(out, "data_dir", service.context().dataDir());
        line(out, "wal_recovery_tail_cut", service.ledger().recoveryNote());
        line(out, "ledger_status", service.ledgerFailed() ? "failed" : "ok");
        line(out, "fee_account", service.context().feeAccount());
        line(out, "fills_applied", stats.fillsApplied());
        line(out, "fills_per_sec", String.format(Locale.ROOT, "%.1f", stats.fillsPerSecond()));
        line(out, "duplicates_skipped", stats.duplicatesSkipped());
        line(out, "batches", stats.batches());
        line(out, "apply_delay_max_ms", String.format(Locale.ROOT, "%.3f", stats.applyDelayMaxMicros() / 1000.0));
        line(out, "alarms", service.alarms().count());
        line(out, "alarm_last", recent.isEmpty() ? "none" : recent.get(recent.size() - 1).toString());
        final Map<String, Long> cursors = service.ledger().cursors();
        final Map<String, PairStatus> pairs = new TreeMap<>(stats.pairs());
        line(out, "pairs", pairs.size());
        for (final PairStatus status : pairs.values())
        {
            final long cursor = cursors.getOrDefault(status.pair(), 0L);
            final long lagFills = Math.max(0, status.engineLastSeq() - cursor);
            final long appliedTs = service.ledger().lastAppliedTs(status.pair());
            final long lagMs = lagFills == 0 ? 0 : Math.max(0, status.engineLastTs() - appliedTs) / 1000;
            out.append("pair_").append(status.pair()).append(":state=")
                .append(status.state().name().toLowerCase(Locale.ROOT))
                .append(",cursor=").append(cursor)
                .append(",engine_last=").append(status.engineLastSeq())
                .append(",lag_fills=").append(lagFills)
                .append(",lag_ms=").append(lagMs)
                .append("\r\n");
        }
    }

    private static void line(final StringBuilder out, final String key, final Object value)
    {
        out.append(key).append(':').append(value).append("\r\n");
    }
}
