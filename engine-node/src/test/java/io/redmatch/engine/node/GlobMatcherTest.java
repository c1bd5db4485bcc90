package io.redmatch.engine.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobMatcherTest
{
    @Test
    void matchesLikeRedis()
    {
        assertTrue(GlobMatcher.matches("*", "", false));
        assertTrue(GlobMatcher.matches("trades:*", "trades:BTC-USDT", false));
        assertFalse(GlobMatcher.matches("trades:*", "depth:BTC-USDT", false));
        assertTrue(GlobMatcher.matches("*:BTC-*", "bbo:BTC-USDT", false));
        assertTrue(GlobMatcher.matches("h?llo", "hello", false));
        assertFalse(GlobMatcher.matches("h?llo", "hllo", false));
        assertTrue(GlobMatcher.matches("h[ae]llo", "hallo", false));
        assertFalse(GlobMatcher.matches("h[^e]llo", "hello", false));
        assertTrue(GlobMatcher.matches("h[a-c]llo", "hbllo", false));
        assertTrue(GlobMatcher.matches("a\\*b", "a*b", false));
        assertFalse(GlobMatcher.matches("a\\*b", "axb", false));
        assertTrue(GlobMatcher.matches("SAVE", "save", true));
        assertFalse(GlobMatcher.matches("SAVE", "save", false));
        assertTrue(GlobMatcher.matches("*a*b*c", "xxaxxbxxc", false));
        assertFalse(GlobMatcher.matches("*a*b*c", "xxaxxbxxcx", false));
    }

    @Test
    @Timeout(5)
    void survivesPathologicalPatterns()
    {
        final String pattern = "*a".repeat(30) + "b";
        assertFalse(GlobMatcher.matches(pattern, "a".repeat(10_000), false));
    }
}
