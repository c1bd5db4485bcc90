package io.redmatch.perf.resp;

/** What the load sends. */
enum Workload
{
    /** Crossing {@code ORDER.PLACE} flow for an engine node ({@link OrderFlowEncoder}). */
    ORDER
    {
        RequestEncoder newEncoder(final LoadContext context)
        {
            return new OrderFlowEncoder(
                context.connections(),
                context.pair(),
                context.mid(),
                context.tick(),
                context.spreadTicks(),
                context.qty(),
                context.seed());
        }
    },

    /** {@code SET} over a bounded key space for {@code redis-server} ({@link SetEncoder}). */
    SET
    {
        RequestEncoder newEncoder(final LoadContext context)
        {
            return new SetEncoder(context.keyspace(), context.value(), context.seed());
        }
    };

    abstract RequestEncoder newEncoder(LoadContext context);
}
