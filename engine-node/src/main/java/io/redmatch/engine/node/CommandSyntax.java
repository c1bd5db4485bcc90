package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a command's syntax line ({@link Command#syntax(String)}) into the argument list of {@code COMMAND DOCS}, so a
 * registration writes its syntax once, readably, and {@code redis-cli} still gets Redis's argument maps for its
 * hints.
 * <p>
 * Notation: {@code <name>} an argument; an upper-case word a token, and a token directly followed by an argument
 * ({@code ACCOUNT <id>}) one argument with that token; {@code <A|B>} a choice of tokens; {@code [...]} optional;
 * {@code (...)} a group; {@code a | b} alternatives; a trailing {@code ...} repetition.
 */
final class CommandSyntax
{
    /** One argument in {@code COMMAND DOCS} terms. */
    record Argument(
        String name, String type, String token, boolean optional, boolean multiple, List<Argument> arguments)
    {
        Argument withOptional()
        {
            return new Argument(name, type, token, true, multiple, arguments);
        }

        Argument withMultiple()
        {
            return new Argument(name, type, token, optional, true, arguments);
        }
    }

    private final List<String> tokens;
    private int position;

    private CommandSyntax(final List<String> tokens)
    {
        this.tokens = tokens;
    }

    /**
     * Parses a syntax line; a malformed one gives what could be parsed, never an error, since it is documentation.
     *
     * @param syntax the syntax line.
     * @return its arguments.
     */
    static List<Argument> parse(final String syntax)
    {
        if (syntax == null || syntax.isBlank())
        {
            return List.of();
        }
        final CommandSyntax parser = new CommandSyntax(tokenize(syntax));
        return parser.sequence("");
    }

    /** Writes arguments as {@code COMMAND DOCS} does: an array of maps. */
    static void write(final RespWriter out, final List<Argument> arguments)
    {
        out.arrayHeader(arguments.size());
        for (final Argument argument : arguments)
        {
            final List<String> flags = new ArrayList<>(2);
            if (argument.optional())
            {
                flags.add("optional");
            }
            if (argument.multiple())
            {
                flags.add("multiple");
            }
            int fields = 2;
            fields += argument.token() != null ? 1 : 0;
            fields += flags.isEmpty() ? 0 : 1;
            fields += argument.arguments().isEmpty() ? 0 : 1;
            out.mapHeader(fields)
                .bulk("name").bulkUtf8(argument.name())
                .bulk("type").bulk(argument.type());
            if (argument.token() != null)
            {
                out.bulk("token").bulkUtf8(argument.token());
            }
            if (!flags.isEmpty())
            {
                out.bulk("flags").setHeader(flags.size());
                for (final String flag : flags)
                {
                    out.simpleString(flag);
                }
            }
            if (!argument.arguments().isEmpty())
            {
                out.bulk("arguments");
                write(out, argument.arguments());
            }
        }
    }

    /** Parses until {@code closer} (or the end), splitting alternatives at top-level {@code |}. */
    private List<Argument> sequence(final String closer)
    {
        final List<List<Argument>> alternatives = new ArrayList<>();
        List<Argument> current = new ArrayList<>();
        while (position < tokens.size())
        {
            final String token = tokens.get(position);
            if (token.equals(closer))
            {
                position++;
                break;
            }
            position++;
            switch (token)
            {
                case "|":
                    alternatives.add(current);
                    current = new ArrayList<>();
                    break;
                case "...":
                    if (!current.isEmpty())
                    {
                        current.set(current.size() - 1, current.get(current.size() - 1).withMultiple());
                    }
                    break;
                case "[":
                    current.add(group(sequence("]")).withOptional());
                    break;
                case "(":
                    current.add(group(sequence(")")));
                    break;
                case "]":
                case ")":
                    break;
                default:
                    current.add(simple(token));
                    break;
            }
        }
        if (alternatives.isEmpty())
        {
            return mergeTokens(current);
        }
        alternatives.add(current);
        final List<Argument> choices = new ArrayList<>();
        for (final List<Argument> alternative : alternatives)
        {
            choices.add(group(mergeTokens(alternative)));
        }
        return List.of(new Argument(nameOf(choices), "oneof", null, false, false, choices));
    }

    /** A token followed by its argument is one argument with a token, as Redis documents {@code COUNT count}. */
    private static List<Argument> mergeTokens(final List<Argument> arguments)
    {
        final List<Argument> merged = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++)
        {
            final Argument argument = arguments.get(i);
            if (argument.type().equals("pure-token") && !argument.optional() && !argument.multiple() &&
                i + 1 < arguments.size() &&
                arguments.get(i + 1).type().equals("string") && arguments.get(i + 1).token() == null)
            {
                final Argument value = arguments.get(++i);
                merged.add(new Argument(
                    value.name(), "string", argument.token(), value.optional(), value.multiple(), List.of()));
            }
            else
            {
                merged.add(argument);
            }
        }
        return merged;
    }

    private static Argument group(final List<Argument> arguments)
    {
        if (arguments.size() == 1)
        {
            return arguments.get(0);
        }
        return new Argument(nameOf(arguments), "block", null, false, false, arguments);
    }

    private static Argument simple(final String token)
    {
        if (token.startsWith("<") && token.endsWith(">") && token.length() > 2)
        {
            final String name = token.substring(1, token.length() - 1);
            if (name.contains("|"))
            {
                final List<Argument> choices = new ArrayList<>();
                for (final String choice : name.split("\\|"))
                {
                    choices.add(pureToken(choice));
                }
                return new Argument(name.toLowerCase(Locale.ROOT).replace('|', '-'), "oneof", null, false, false,
                    choices);
            }
            return new Argument(name, "string", null, false, false, List.of());
        }
        if (token.equals(token.toUpperCase(Locale.ROOT)) && token.chars().anyMatch(Character::isLetter))
        {
            return pureToken(token);
        }
        return new Argument(token, "string", null, false, false, List.of());
    }

    private static Argument pureToken(final String token)
    {
        return new Argument(token.toLowerCase(Locale.ROOT), "pure-token", token, false, false, List.of());
    }

    private static String nameOf(final List<Argument> arguments)
    {
        final StringBuilder name = new StringBuilder();
        for (final Argument argument : arguments)
        {
            if (name.length() > 0)
            {
                name.append('-');
            }
            name.append(argument.name());
        }
        return name.length() == 0 ? "arg" : name.toString();
    }

    private static List<String> tokenize(final String syntax)
    {
        final List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < syntax.length())
        {
            final char c = syntax.charAt(i);
            if (Character.isWhitespace(c))
            {
                i++;
            }
            else if (c == '[' || c == ']' || c == '(' || c == ')' || c == '|')
            {
                tokens.add(String.valueOf(c));
                i++;
            }
            else if (syntax.startsWith("...", i))
            {
                tokens.add("...");
                i += 3;
            }
            else if (c == '<')
            {
                final int end = syntax.indexOf('>', i);
                final int stop = end < 0 ? syntax.length() : end + 1;
                tokens.add(syntax.substring(i, stop));
                i = stop;
            }
            else
            {
                int end = i;
                while (end < syntax.length() && !Character.isWhitespace(syntax.charAt(end)) &&
                    "[]()|<".indexOf(syntax.charAt(end)) < 0 && !syntax.startsWith("...", end))
                {
                    end++;
                }
                tokens.add(syntax.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }
}
