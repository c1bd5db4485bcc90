package io.redmatch.perf.flow;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes a generated order flow to a {@link FlowFile}, so every benchmark JVM replays the same bytes:
 * {@code java -cp perf-flow.jar io.redmatch.perf.flow.FlowTool --out flow.bin [--seed n] [--ops n] [--accounts n]
 * [--book-size n]}.
 */
public final class FlowTool
{
    private FlowTool()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String usage = "Usage: FlowTool --out <file> [options]\n" +
            "Generates the seeded order flow of the matching benchmarks and writes it to <file>.\n" +
            FlowContext.OPTIONS_USAGE;
        final CommandOptions options;
        try
        {
            options = CommandOptions.parse(args, withOut());
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.print(usage);
            System.exit(2);
            return;
        }
        if (options.has("help") || !options.has("out"))
        {
            System.out.print(usage);
            System.exit(options.has("help") ? 0 : 2);
        }
        final FlowContext context = FlowContext.fromOptions(options);
        final long start = System.nanoTime();
        final OrderFlow flow = FlowGenerator.generate(context);
        final Path out = Path.of(options.string("out", null));
        FlowFile.write(flow, out);
        System.out.printf("# wrote %s in %d ms: %s%n", out, (System.nanoTime() - start) / 1_000_000, flow.describe());
    }

    private static Set<String> withOut()
    {
        final Set<String> names = new HashSet<>(FlowContext.OPTIONS);
        names.add("out");
        return names;
    }
}
