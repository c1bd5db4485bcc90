package io.redmatch.engine.snapshot;

/** The section types of a snapshot file, in the order they appear. */
public final class SnapshotSection
{
    /** The node-wide counters and the account names, once, first. */
    public static final int ENGINE = 1;
    /** One pair: its spec and flags, book, closed orders, ticker, fill stream and consumer groups; one per pair. */
    public static final int PAIR = 2;
    /** Closes the file: holds the number of sections before it, so a cut file is told from a whole one. */
    public static final int END = 0x7FFF;

    private SnapshotSection()
    {
    }

    /**
     * @param type a section type.
     * @return its name, for dumps and errors.
     */
    public static String name(final int type)
    {
        switch (type)
        {
            case ENGINE:
                return "ENGINE";
            case PAIR:
                return "PAIR";
            case END:
                return "END";
            default:
                return "UNKNOWN(" + type + ")";
        }
    }
}
