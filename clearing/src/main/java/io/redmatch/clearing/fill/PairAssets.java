package io.redmatch.clearing.fill;

/**
 * The assets of a pair, as {@code PAIR.INFO} gives them.
 *
 * @param pair  the pair name, {@code BASE-QUOTE}.
 * @param base  the base asset.
 * @param quote the quote asset.
 */
public record PairAssets(String pair, String base, String quote)
{
}
