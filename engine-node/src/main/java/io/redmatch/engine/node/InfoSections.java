package io.redmatch.engine.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sections {@code INFO} reports, in registration order: {@code server}, {@code clients} and {@code stats} come
 * with the node; other groups add theirs ({@code replication}, {@code persistence}, {@code pairs}) from
 * {@link CommandGroup#register(CommandTable, EngineNode)}:
 * <pre>{@code
 * node.info().register("pairs", info -> InfoSection.field(info, "pairs_served", pairs.size()));
 * }</pre>
 * {@code INFO} without an argument, or with {@code default}, {@code all} or {@code everything}, writes every
 * section; otherwise the sections named (case-insensitive), in registration order.
 */
public final class InfoSections
{
    private final Map<String, Entry> sections = new LinkedHashMap<>();

    /**
     * Adds a section titled after its name ({@code "replication"} → {@code # Replication}).
     *
     * @param name    the name {@code INFO <section>} selects it by, lower case.
     * @param section writes its fields.
     * @throws IllegalStateException when the name is taken.
     */
    public void register(final String name, final InfoSection section)
    {
        final String lower = name.toLowerCase(Locale.ROOT);
        register(lower, Character.toUpperCase(lower.charAt(0)) + lower.substring(1), section);
    }

    /**
     * Adds a section with its own title.
     *
     * @param name    the name {@code INFO <section>} selects it by.
     * @param title   the title of its {@code # Title} line.
     * @param section writes its fields.
     * @throws IllegalStateException when the name is taken.
     */
    public void register(final String name, final String title, final InfoSection section)
    {
        final String key = name.toLowerCase(Locale.ROOT);
        if (sections.containsKey(key))
        {
            throw new IllegalStateException("INFO section registered twice: " + name);
        }
        sections.put(key, new Entry(title, section));
    }

    /** @return the section names, in order. */
    public List<String> names()
    {
        return new ArrayList<>(sections.keySet());
    }

    /**
     * Writes the sections selected by {@code requested}, as {@code INFO} does.
     *
     * @param requested section names as given to {@code INFO}; empty for the default set.
     * @return the text of the reply.
     */
    public String render(final List<String> requested)
    {
        final boolean all = requested.isEmpty() || requested.stream().anyMatch(
            (name) -> name.equalsIgnoreCase("all") || name.equalsIgnoreCase("default") ||
            name.equalsIgnoreCase("everything"));
        final StringBuilder info = new StringBuilder(1024);
        for (final Map.Entry<String, Entry> entry : sections.entrySet())
        {
            if (all || requested.stream().anyMatch((name) -> name.equalsIgnoreCase(entry.getKey())))
            {
                if (info.length() > 0)
                {
                    info.append("\r\n");
                }
                info.append("# ").append(entry.getValue().title).append("\r\n");
                entry.getValue().section.write(info);
            }
        }
        return info.toString();
    }

    private record Entry(String title, InfoSection section)
    {
    }
}
