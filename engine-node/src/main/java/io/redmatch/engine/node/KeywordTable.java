package io.redmatch.engine.node;

import io.redmatch.engine.resp.RespRequest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The option keywords of a command ({@code ACCOUNT}, {@code QTY}, {@code PRICE}...), found from an argument's bytes
 * with one table read and one comparison instead of a comparison per keyword. The keywords of a table must differ in
 * length or first letter, which is checked when it is built; the argument's case is ignored, as Redis does.
 * <p>
 * Hand-written rather than a map from Agrona or the JDK because those need a key object per lookup, and an
 * argument is bytes in the request's buffer that a lookup must not copy.
 */
final class KeywordTable
{
    /** Returned by {@link #find} when the argument is none of the keywords. */
    static final int NONE = -1;

    private static final int LETTERS = 'Z' - 'A' + 1;

    private final byte[][] keywords;
    /** By {@code length * LETTERS + (first letter - 'A')}: the keyword's index, or {@link #NONE}. */
    private final int[] byShape;
    private final int maxLength;

    /**
     * @param keywords upper-case ASCII keywords, each starting with a letter; the index of each is its code.
     * @throws IllegalArgumentException when two have the same length and first letter, or one does not start with
     *                                  an upper-case letter.
     */
    KeywordTable(final String... keywords)
    {
        this.keywords = new byte[keywords.length][];
        int longest = 0;
        for (final String keyword : keywords)
        {
            longest = Math.max(longest, keyword.length());
        }
        maxLength = longest;
        byShape = new int[(longest + 1) * LETTERS];
        Arrays.fill(byShape, NONE);
        for (int code = 0; code < keywords.length; code++)
        {
            final String keyword = keywords[code];
            final char first = keyword.isEmpty() ? 0 : keyword.charAt(0);
            if (first < 'A' || first > 'Z' || !keyword.equals(keyword.toUpperCase(Locale.ROOT)))
            {
                throw new IllegalArgumentException("not an upper-case keyword starting with a letter: " + keyword);
            }
            final int shape = keyword.length() * LETTERS + (first - 'A');
            if (byShape[shape] != NONE)
            {
                throw new IllegalArgumentException(
                    "keywords " + keywords[byShape[shape]] + " and " + keyword + " have the same length and letter");
            }
            byShape[shape] = code;
            this.keywords[code] = keyword.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * @param request the command.
     * @param arg     the argument to classify.
     * @return the code (index) of the keyword argument {@code arg} is, in any case, or {@link #NONE}.
     */
    int find(final RespRequest request, final int arg)
    {
        final int length = request.argLength(arg);
        if (length == 0 || length > maxLength)
        {
            return NONE;
        }
        final int letter = (request.bytes().getByte(request.argOffset(arg)) & ~0x20) - 'A';
        if (letter < 0 || letter >= LETTERS)
        {
            return NONE;
        }
        final int code = byShape[length * LETTERS + letter];
        return code != NONE && request.argEqualsIgnoreCase(arg, keywords[code]) ? code : NONE;
    }
}
