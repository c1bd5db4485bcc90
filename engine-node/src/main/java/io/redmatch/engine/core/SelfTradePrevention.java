package io.redmatch.engine.core;

/** What happens when a taker meets a resting order of its own account. The taker's mode applies. */
public enum SelfTradePrevention
{
    NONE, CANCEL_TAKER, CANCEL_MAKER, CANCEL_BOTH
}
