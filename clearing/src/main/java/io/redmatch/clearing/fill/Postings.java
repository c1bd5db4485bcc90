package io.redmatch.clearing.fill;

import java.math.BigDecimal;

/**
 * The balance changes one fill makes, as SPEC §6 has them: the buyer gets {@code qty} base less its fee and pays
 * {@code quote_qty}; the seller gives {@code qty} base and gets {@code quote_qty} less its fee; each side's fee
 * (taker or maker by {@code taker_side}) is in the asset that side receives (a buyer's in base, a seller's in
 * quote) and goes to the fee account. Per asset the changes sum to zero.
 */
public final class Postings
{
    /** Receives one balance change. */
    @FunctionalInterface
    public interface Sink
    {
        /**
         * @param account the account.
         * @param asset   the asset.
         * @param delta   the change, exact.
         */
        void post(String account, String asset, BigDecimal delta);
    }

    private Postings()
    {
    }

    /**
     * Posts a fill's six changes.
     *
     * @param fill       the fill.
     * @param assets     its pair's assets.
     * @param feeAccount where fees go.
     * @param sink       receives the changes.
     */
    public static void post(final Fill fill, final PairAssets assets, final String feeAccount, final Sink sink)
    {
        sink.post(fill.buyer(), assets.base(), fill.qty().subtract(fill.buyerFee()));
        sink.post(fill.buyer(), assets.quote(), fill.quoteQty().negate());
        sink.post(fill.seller(), assets.base(), fill.qty().negate());
        sink.post(fill.seller(), assets.quote(), fill.quoteQty().subtract(fill.sellerFee()));
        sink.post(feeAccount, assets.base(), fill.buyerFee());
        sink.post(feeAccount, assets.quote(), fill.sellerFee());
    }
}
