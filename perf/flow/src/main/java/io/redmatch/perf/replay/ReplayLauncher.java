package io.redmatch.perf.replay;

import io.redmatch.perf.flow.CommandOptions;
import io.redmatch.perf.flow.FlowContext;
import io.redmatch.perf.flow.FlowFile;
import io.redmatch.perf.flow.FlowGenerator;
import io.redmatch.perf.flow.FlowOp;
import io.redmatch.perf.flow.OrderFlow;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The shared command line of the replay benchmarks: reads or generates the flow, builds the engine's replayer, runs
 * the {@link ReplayHarness} and prints {@code #} comment lines, then the {@code RESULT} and {@code OP} lines.
 */
public final class ReplayLauncher
{
    /** Options every replay benchmark accepts, described by {@link #usage}. */
    public static final Set<String> OPTIONS = Set.of("flow", "warmup", "passes", "latency-passes");

    private ReplayLauncher()
    {
    }

    /**
     * Runs a replay benchmark from its command line and exits the JVM: 0 on success, 1 if the engine did not
     * reproduce the flow, 2 on a bad command line.
     *
     * @param name         the benchmark's name, for the usage text.
     * @param extraOptions options of this engine's benchmark besides {@link #OPTIONS}, handed to the factory.
     * @param extraUsage   usage lines for those options.
     * @param factory      builds the engine's replayer for the flow.
     */
    public static void launch(
        final String[] args,
        final String name,
        final Set<String> extraOptions,
        final String extraUsage,
        final BiFunction<OrderFlow, CommandOptions, FlowReplayer> factory)
    {
        final PrintStream out = System.out;
        final CommandOptions options;
        final ReplayContext context;
        try
        {
            final Set<String> allowed = new HashSet<>(OPTIONS);
            allowed.addAll(FlowContext.OPTIONS);
            allowed.addAll(extraOptions);
            options = CommandOptions.parse(args, allowed);
            if (options.has("help"))
            {
                out.print(usage(name, extraUsage));
                System.exit(0);
            }
            context = contextFrom(options).conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.print(usage(name, extraUsage));
            System.exit(2);
            return;
        }

        try
        {
            final OrderFlow flow = loadFlow(context, out);
            final FlowReplayer replayer = factory.apply(flow, options);
            out.println("# " + replayer.engine() + " " + replayer.implementation() + ", " + context);
            out.println("# jvm " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") +
                " args " + ManagementFactory.getRuntimeMXBean().getInputArguments());
            final ReplayResult result = new ReplayHarness(replayer, flow, context, out).run();
            out.println(result.resultLine());
            for (int op = 0; op < FlowOp.COUNT; op++)
            {
                out.println(result.opLine(op));
            }
            out.flush();
            System.exit(0);
        }
        catch (final IllegalStateException ex)
        {
            out.flush();
            System.err.println("FAILED: " + ex.getMessage());
            System.exit(1);
        }
        catch (final Exception ex)
        {
            out.flush();
            ex.printStackTrace();
            System.exit(1);
        }
    }

    /** Builds the context from the shared options. */
    public static ReplayContext contextFrom(final CommandOptions options)
    {
        final ReplayContext context = new ReplayContext()
            .flowContext(FlowContext.fromOptions(options))
            .warmupPasses(options.intValue("warmup", ReplayContext.WARMUP_PASSES_DEFAULT))
            .passes(options.intValue("passes", ReplayContext.PASSES_DEFAULT))
            .latencyPasses(options.intValue("latency-passes", ReplayContext.LATENCY_PASSES_DEFAULT));
        if (options.has("flow"))
        {
            context.flowFile(Path.of(options.string("flow", null)));
        }
        return context;
    }

    private static OrderFlow loadFlow(final ReplayContext context, final PrintStream out) throws Exception
    {
        final long start = System.nanoTime();
        final OrderFlow flow;
        if (context.flowFile() != null)
        {
            flow = FlowFile.read(context.flowFile());
            out.printf("# read %s in %d ms%n", context.flowFile(), (System.nanoTime() - start) / 1_000_000);
        }
        else
        {
            flow = FlowGenerator.generate(context.flowContext());
            out.printf("# generated %s in %d ms%n", context.flowContext(), (System.nanoTime() - start) / 1_000_000);
        }
        out.println("# flow " + flow.describe());
        return flow;
    }

    /** @return the usage text of a replay benchmark. */
    public static String usage(final String name, final String extraUsage)
    {
        return "Usage: " + name + " [options]\n" +
            "Replays a generated order flow into one order book and prints RESULT and OP lines.\n" +
            "  --flow <file>            replay this flow file (see FlowTool); otherwise generate from:\n" +
            FlowContext.OPTIONS_USAGE +
            "  --warmup <n>             warm-up passes (default " + ReplayContext.WARMUP_PASSES_DEFAULT + ")\n" +
            "  --passes <n>             throughput passes (default " + ReplayContext.PASSES_DEFAULT + ")\n" +
            "  --latency-passes <n>     latency passes (default " + ReplayContext.LATENCY_PASSES_DEFAULT + ")\n" +
            extraUsage;
    }
}
