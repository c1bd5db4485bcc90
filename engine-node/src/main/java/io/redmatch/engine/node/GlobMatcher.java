package io.redmatch.engine.node;

/**
 * Redis's glob-style matching: {@code *} any run, {@code ?} one character, {@code [abc]}, {@code [^a]} and
 * {@code [a-z]} sets, {@code \} escapes. Used by {@code PSUBSCRIBE} (case-sensitive) and {@code CONFIG GET}
 * (ignoring case).
 * <p>
 * Iterative, with one backtrack point (the last star), so a hostile pattern such as {@code *a*a*a*a*b} costs at most
 * pattern × text steps, never the exponential time of naive recursion. Allocation free.
 */
public final class GlobMatcher
{
    private GlobMatcher()
    {
    }

    /**
     * Matches a whole string against a pattern.
     *
     * @param pattern    the glob.
     * @param text       the string.
     * @param ignoreCase compare letters ignoring case.
     * @return true when the whole string matches.
     */
    public static boolean matches(final String pattern, final String text, final boolean ignoreCase)
    {
        final int patternLength = pattern.length();
        final int textLength = text.length();
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        while (t < textLength)
        {
            if (p < patternLength)
            {
                final char pc = pattern.charAt(p);
                if (pc == '*')
                {
                    starP = p++;
                    starT = t;
                    continue;
                }
                final int next = matchOne(pattern, p, text.charAt(t), ignoreCase);
                if (next >= 0)
                {
                    p = next;
                    t++;
                    continue;
                }
            }
            if (starP < 0)
            {
                return false;
            }
            // let the last star swallow one more character and retry from just after it
            p = starP + 1;
            t = ++starT;
        }
        while (p < patternLength && pattern.charAt(p) == '*')
        {
            p++;
        }
        return p == patternLength;
    }

    /** @return the pattern index after the element at {@code p} when it matches {@code c}, else -1. */
    private static int matchOne(final String pattern, final int start, final char c, final boolean ignoreCase)
    {
        final int patternLength = pattern.length();
        int p = start;
        final char pc = pattern.charAt(p);
        if (pc == '?')
        {
            return p + 1;
        }
        if (pc == '[')
        {
            return matchSet(pattern, p + 1, fold(c, ignoreCase), ignoreCase);
        }
        if (pc == '\\' && p + 1 < patternLength)
        {
            p++;
        }
        return fold(pattern.charAt(p), ignoreCase) == fold(c, ignoreCase) ? p + 1 : -1;
    }

    private static int matchSet(final String pattern, final int start, final char c, final boolean ignoreCase)
    {
        final int patternLength = pattern.length();
        int p = start;
        final boolean not = p < patternLength && pattern.charAt(p) == '^';
        if (not)
        {
            p++;
        }
        boolean matched = false;
        while (p < patternLength && pattern.charAt(p) != ']')
        {
            if (pattern.charAt(p) == '\\' && p + 1 < patternLength)
            {
                p++;
                matched |= fold(pattern.charAt(p), ignoreCase) == c;
            }
            else if (p + 2 < patternLength && pattern.charAt(p + 1) == '-' && pattern.charAt(p + 2) != ']')
            {
                final char a = fold(pattern.charAt(p), ignoreCase);
                final char b = fold(pattern.charAt(p + 2), ignoreCase);
                matched |= c >= (char)Math.min(a, b) && c <= (char)Math.max(a, b);
                p += 2;
            }
            else
            {
                matched |= fold(pattern.charAt(p), ignoreCase) == c;
            }
            p++;
        }
        // an unterminated set ends at the end of the pattern, as in Redis
        return matched != not ? Math.min(p + 1, patternLength) : -1;
    }

    private static char fold(final char c, final boolean ignoreCase)
    {
        return ignoreCase ? Character.toLowerCase(c) : c;
    }
}
