package io.redmatch.engine.stream;

/**
 * Error replies of the stream commands, worded as Redis words them because client libraries and people match on
 * them. Those that quote a key or group are built by the methods, on error paths only.
 */
final class StreamReplies
{
    static final String SYNTAX = "ERR syntax error";
    static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
    static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";
    static final String INVALID_START = "ERR invalid start ID for the interval";
    static final String INVALID_END = "ERR invalid end ID for the interval";
    static final String TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range";
    static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
    static final String UNBALANCED = "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be " +
        "specified.";
    static final String NOACK_XREAD = "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.";
    static final String GROUP_XREAD = "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.";
    static final String MISSING_GROUP = "ERR Missing GROUP option for XREADGROUP";
    static final String GREATER_XREAD = "ERR The > ID can be specified only when calling XREADGROUP using the GROUP " +
        "<group> <consumer> option.";
    static final String DOLLAR_XREADGROUP = "ERR The $ ID is meaningless in the context of XREADGROUP: you want to " +
        "read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID " +
        "would just return an empty result set.";
    static final String BUSYGROUP = "BUSYGROUP Consumer Group name already exists";
    static final String KEY_MUST_EXIST = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE " +
        "you may want to use the MKSTREAM option to create an empty stream automatically.";
    static final String MKSTREAM_NOT_FILLS = "ERR only the fills:<PAIR> streams of the pairs served exist on this " +
        "node; MKSTREAM cannot create another";
    static final String ENTRIESREAD_RANGE = "ERR value for ENTRIESREAD must be positive or -1";
    static final String NO_SUCH_KEY = "ERR no such key";
    static final String NOPAIR = "NOPAIR pair not served by this node";
    static final String GROUP_GONE = "NOGROUP the consumer group this client was blocked on no longer exists";
    static final String UNBLOCKED_ROLE = "UNBLOCKED force unblock from blocking operation, instance state changed " +
        "(master -> replica?)";

    private StreamReplies()
    {
    }

    /** {@code XREADGROUP} on a stream without the group, or on a key that is not a fill stream. */
    static String noGroupForRead(final String key, final String group)
    {
        return "NOGROUP No such key '" + key + "' or consumer group '" + group + "' in XREADGROUP with GROUP option";
    }

    /** {@code XPENDING} on a stream without the group, or on a key that is not a fill stream. */
    static String noGroupForPending(final String key, final String group)
    {
        return "NOGROUP No such key '" + key + "' or consumer group '" + group + "'";
    }

    /** {@code XGROUP} and {@code XINFO CONSUMERS} on a stream without the group. */
    static String noGroup(final String key, final String group)
    {
        return "NOGROUP No such consumer group '" + group + "' for key name '" + key + "'";
    }

    /** An option a subcommand does not know, or one missing its value. */
    static String badSubcommandArgs(final String container, final String subcommand)
    {
        return "ERR unknown subcommand or wrong number of arguments for '" + subcommand + "'. Try " + container +
            " HELP.";
    }
}
