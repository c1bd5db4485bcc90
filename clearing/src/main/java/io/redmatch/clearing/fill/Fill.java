package io.redmatch.clearing.fill;

import java.math.BigDecimal;

/**
 * One fill of a {@code fills:<pair>} stream, validated. Every amount is exact; {@code contentHash} is a 64-bit hash of
 * every field as the engine sent it, used to recognise a re-delivered fill and to detect one whose content changed.
 *
 * @param pair         the pair.
 * @param seq          the pair's fill sequence.
 * @param price        trade price.
 * @param qty          base quantity traded.
 * @param quoteQty     {@code price × qty}, in the quote asset.
 * @param takerBuys    true when the taker side is {@code BUY}.
 * @param takerAccount the taker's account.
 * @param makerAccount the maker's account.
 * @param takerFee     the taker's fee, in the asset the taker receives.
 * @param makerFee     the maker's fee, in the asset the maker receives.
 * @param ts           engine time of the trade, microseconds since the epoch.
 * @param contentHash  hash of the fill's fields.
 */
public record Fill(
    String pair,
    long seq,
    BigDecimal price,
    BigDecimal qty,
    BigDecimal quoteQty,
    boolean takerBuys,
    String takerAccount,
    String makerAccount,
    BigDecimal takerFee,
    BigDecimal makerFee,
    long ts,
    long contentHash)
{
    /** @return the account that bought base. */
    public String buyer()
    {
        return takerBuys ? takerAccount : makerAccount;
    }

    /** @return the account that sold base. */
    public String seller()
    {
        return takerBuys ? makerAccount : takerAccount;
    }

    /** @return the buyer's fee, in base. */
    public BigDecimal buyerFee()
    {
        return takerBuys ? takerFee : makerFee;
    }

    /** @return the seller's fee, in quote. */
    public BigDecimal sellerFee()
    {
        return takerBuys ? makerFee : takerFee;
    }
}
