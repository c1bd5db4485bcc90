package io.redmatch.router;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shard map: which shard owns each pair, and which addresses are the members of each shard. Immutable; a reload
 * builds a new one and swaps it in only when the whole file is valid.
 * <p>
 * File format, one declaration per line, {@code #} starts a comment, blank lines are ignored:
 * <pre>
 * shard A 127.0.0.1:7001 127.0.0.1:7002     # a shard, then its members (primary and standbys, any order)
 * pair BTC-USDT A                           # the pair's commands, streams and channels go to shard A
 * </pre>
 * Errors name the file and line: a malformed line, a bad address, a shard declared twice, a pair assigned twice, a
 * pair naming an undeclared shard, a shard without members, an address in two shards.
 */
public final class ShardMap
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern PAIR = Pattern.compile("[A-Z0-9]{1,32}-[A-Z0-9]{1,32}");

    /** One shard: its name and member addresses, in the order the file lists them. */
    public record Shard(String name, List<InetSocketAddress> members)
    {
    }

    private final Map<String, Shard> shards;
    private final Map<String, String> pairToShard;

    private ShardMap(final Map<String, Shard> shards, final Map<String, String> pairToShard)
    {
        this.shards = Collections.unmodifiableMap(shards);
        this.pairToShard = Collections.unmodifiableMap(pairToShard);
    }

    /** @return shards by name, in file order. */
    public Map<String, Shard> shards()
    {
        return shards;
    }

    /** @return pair → shard name, in file order. */
    public Map<String, String> pairs()
    {
        return pairToShard;
    }

    /**
     * Reads and validates a shard file.
     *
     * @param file the file.
     * @return the map.
     * @throws ShardMapException when the file cannot be read or is invalid; the message names the line.
     */
    public static ShardMap load(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new ShardMapException("cannot read shard file " + file + ": " + ex);
        }
        return parse(file.toString(), lines);
    }

    /**
     * Parses the lines of a shard file.
     *
     * @param source where the lines come from, for error messages.
     * @param lines  the lines.
     * @return the map.
     * @throws ShardMapException when a line is invalid.
     */
    public static ShardMap parse(final String source, final List<String> lines)
    {
        final Map<String, Shard> shards = new LinkedHashMap<>();
        final Map<String, String> pairs = new LinkedHashMap<>();
        final Map<String, Integer> pairLines = new LinkedHashMap<>();
        final Map<InetSocketAddress, String> memberOf = new LinkedHashMap<>();
        for (int index = 0; index < lines.size(); index++)
        {
            final String where = source + ":" + (index + 1) + ": ";
            String line = lines.get(index);
            final int comment = line.indexOf('#');
            if (comment >= 0)
            {
                line = line.substring(0, comment);
            }
            line = line.strip();
            if (line.isEmpty())
            {
                continue;
            }
            final String[] words = line.split("\\s+");
            switch (words[0])
            {
                case "shard" -> addShard(where, words, shards, memberOf);
                case "pair" ->
                {
                    if (words.length != 3)
                    {
                        throw new ShardMapException(where + "expected 'pair <PAIR> <shard>', got '" + line + "'");
                    }
                    if (!PAIR.matcher(words[1]).matches())
                    {
                        throw new ShardMapException(where + "'" + words[1] + "' is not a pair name (BASE-QUOTE, " +
                            "upper case letters and digits)");
                    }
                    if (pairs.containsKey(words[1]))
                    {
                        throw new ShardMapException(where + "pair " + words[1] + " is already assigned to shard " +
                            pairs.get(words[1]) + " on line " + pairLines.get(words[1]) +
                            "; a pair belongs to exactly one shard");
                    }
                    pairs.put(words[1], words[2]);
                    pairLines.put(words[1], index + 1);
                }
                default -> throw new ShardMapException(where + "unknown declaration '" + words[0] +
                    "' (expected 'shard <name> <host:port>...' or 'pair <PAIR> <shard>')");
            }
        }
        for (final Map.Entry<String, String> pair : pairs.entrySet())
        {
            if (!shards.containsKey(pair.getValue()))
            {
                throw new ShardMapException(source + ":" + pairLines.get(pair.getKey()) + ": pair " + pair.getKey() +
                    " names shard " + pair.getValue() + ", which no 'shard' line declares");
            }
        }
        if (shards.isEmpty())
        {
            throw new ShardMapException(source + ": no shard declared");
        }
        return new ShardMap(shards, pairs);
    }

    private static void addShard(
        final String where, final String[] words, final Map<String, Shard> shards,
        final Map<InetSocketAddress, String> memberOf)
    {
        if (words.length < 3)
        {
            throw new ShardMapException(where + "expected 'shard <name> <host:port> [<host:port>...]'");
        }
        final String name = words[1];
        if (!NAME.matcher(name).matches())
        {
            throw new ShardMapException(where + "'" + name + "' is not a shard name ([A-Za-z0-9_.-], 1 to 64)");
        }
        if (shards.containsKey(name))
        {
            throw new ShardMapException(where + "shard " + name + " is declared twice");
        }
        final List<InetSocketAddress> members = new ArrayList<>();
        for (int i = 2; i < words.length; i++)
        {
            final InetSocketAddress address = address(where, words[i]);
            final String other = memberOf.putIfAbsent(address, name);
            if (other != null)
            {
                throw new ShardMapException(where + "member " + words[i] + " is already a member of shard " + other);
            }
            members.add(address);
        }
        shards.put(name, new Shard(name, List.copyOf(members)));
    }

    private static InetSocketAddress address(final String where, final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new ShardMapException(where + "'" + text + "' is not a member address (host:port)");
        }
        final int port;
        try
        {
            port = Integer.parseInt(text.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new ShardMapException(where + "'" + text + "' has no valid port");
        }
        if (port < 1 || port > 65535)
        {
            throw new ShardMapException(where + "'" + text + "': port out of range");
        }
        final InetSocketAddress address = new InetSocketAddress(text.substring(0, colon), port);
        if (address.isUnresolved())
        {
            throw new ShardMapException(where + "'" + text + "': unknown host");
        }
        return address;
    }

    @Override
    public String toString()
    {
        return "ShardMap{shards=" + shards + ", pairs=" + pairToShard + "}";
    }
}
