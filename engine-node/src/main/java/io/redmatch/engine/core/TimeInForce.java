package io.redmatch.engine.core;

/** How long a limit order's remainder may rest. */
public enum TimeInForce
{
    GTC, IOC, FOK
}
