package io.redmatch.perf.flow;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options of the benchmark command lines. Kept dependency-free on purpose: the flow module
 * goes on the classpath of both engines' benchmarks and must not bring a CLI library with it.
 */
public final class CommandOptions
{
    private final Map<String, String> values = new HashMap<>();

    private CommandOptions()
    {
    }

    /**
     * Parses {@code args} as {@code --name value} pairs, with {@code --help} alone allowed without a value.
     *
     * @throws IllegalArgumentException on a name outside {@code allowed}, or a name without a value.
     */
    public static CommandOptions parse(final String[] args, final Set<String> allowed)
    {
        final CommandOptions options = new CommandOptions();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                options.values.put("help", "true");
                continue;
            }
            if (!arg.startsWith("--") || !allowed.contains(arg.substring(2)))
            {
                throw new IllegalArgumentException("unknown option: " + arg);
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("option needs a value: " + arg);
            }
            options.values.put(arg.substring(2), args[++i]);
        }
        return options;
    }

    public boolean has(final String name)
    {
        return values.containsKey(name);
    }

    public String string(final String name, final String defaultValue)
    {
        return values.getOrDefault(name, defaultValue);
    }

    public long longValue(final String name, final long defaultValue)
    {
        final String value = values.get(name);
        return value == null ? defaultValue : parseLong(name, value);
    }

    public int intValue(final String name, final int defaultValue)
    {
        final long value = longValue(name, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("--" + name + " out of range: " + value);
        }
        return (int)value;
    }

    private static long parseLong(final String name, final String value)
    {
        try
        {
            return Long.parseLong(value.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--" + name + " needs a whole number: " + value, ex);
        }
    }
}
