package io.redmatch.engine.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little JSON reader for the market-data payloads: objects become ordered maps (keys in the order sent),
 * arrays lists, strings {@code String}, integers {@code Long}, {@code null} null. Anything else, fractional numbers
 * included, is refused, since the payloads carry decimals as strings.
 */
final class MiniJson
{
    private final String text;
    private int position;

    private MiniJson(final String text)
    {
        this.text = text;
    }

    /** @return the value of a whole JSON document. */
    static Object parse(final String text)
    {
        final MiniJson reader = new MiniJson(text);
        final Object value = reader.value();
        if (reader.position != text.length())
        {
            throw reader.error("trailing characters");
        }
        return value;
    }

    /** @return a JSON object as an ordered map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(final String text)
    {
        final Object value = parse(text);
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("not a JSON object: " + text);
        }
        return (Map<String, Object>)value;
    }

    private Object value()
    {
        if (position >= text.length())
        {
            throw error("unexpected end");
        }
        final char c = text.charAt(position);
        if (c == '{')
        {
            return objectValue();
        }
        if (c == '[')
        {
            return arrayValue();
        }
        if (c == '"')
        {
            return stringValue();
        }
        if (text.startsWith("null", position))
        {
            position += 4;
            return null;
        }
        return integerValue();
    }

    private Map<String, Object> objectValue()
    {
        final Map<String, Object> object = new LinkedHashMap<>();
        expect('{');
        if (peek('}'))
        {
            position++;
            return object;
        }
        while (true)
        {
            final String key = stringValue();
            expect(':');
            if (object.containsKey(key))
            {
                throw error("duplicate key " + key);
            }
            object.put(key, value());
            if (peek(','))
            {
                position++;
                continue;
            }
            expect('}');
            return object;
        }
    }

    private List<Object> arrayValue()
    {
        final List<Object> array = new ArrayList<>();
        expect('[');
        if (peek(']'))
        {
            position++;
            return array;
        }
        while (true)
        {
            array.add(value());
            if (peek(','))
            {
                position++;
                continue;
            }
            expect(']');
            return array;
        }
    }

    private String stringValue()
    {
        expect('"');
        final int start = position;
        while (position < text.length() && text.charAt(position) != '"')
        {
            if (text.charAt(position) == '\\' || text.charAt(position) < 0x20)
            {
                throw error("escapes and control characters are not expected in these payloads");
            }
            position++;
        }
        final String value = text.substring(start, position);
        expect('"');
        return value;
    }

    private Long integerValue()
    {
        final int start = position;
        if (peek('-'))
        {
            position++;
        }
        while (position < text.length() && Character.isDigit(text.charAt(position)))
        {
            position++;
        }
        if (position == start || (position == start + 1 && text.charAt(start) == '-'))
        {
            throw error("value expected");
        }
        return Long.parseLong(text.substring(start, position));
    }

    private boolean peek(final char c)
    {
        return position < text.length() && text.charAt(position) == c;
    }

    private void expect(final char c)
    {
        if (!peek(c))
        {
            throw error("'" + c + "' expected");
        }
        position++;
    }

    private IllegalArgumentException error(final String why)
    {
        return new IllegalArgumentException(why + " at " + position + " of " + text);
    }
}
