package io.redmatch.engine.replication;

import java.util.Locale;

/** When a primary releases a state-changing command's reply (SPEC §4, §7: {@code --ack local|standby}). */
public enum AckMode
{
    /** Once the command is recorded on this node's disk. */
    LOCAL,
    /** Once it is recorded here and acknowledged by the standby as recorded on its disk. */
    STANDBY;

    /** @return the name used in the configuration and in {@code INFO replication}. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name {@code local} or {@code standby}, any case.
     * @return the mode.
     * @throws IllegalArgumentException for another name.
     */
    public static AckMode fromConfigName(final String name)
    {
        for (final AckMode mode : values())
        {
            if (mode.configName().equalsIgnoreCase(name.trim()))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("ack must be local or standby: " + name);
    }
}
