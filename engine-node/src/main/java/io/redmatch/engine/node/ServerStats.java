package io.redmatch.engine.node;

/**
 * Counters of the node's connection layer, for {@code INFO stats} and {@code INFO clients}. Written on the node's
 * event loop; read there too (INFO runs on it).
 */
public final class ServerStats
{
    long connectionsReceived;
    long connectionsRejected;
    long commandsProcessed;
    long errorReplies;
    long unknownCommands;
    long protocolErrors;
    long netInputBytes;
    long netOutputBytes;
    long outputLimitDisconnections;
    long queryLimitDisconnections;
    long blockedTimeouts;
    long unloggedWrites;

    /** @return connections accepted since start. */
    public long connectionsReceived()
    {
        return connectionsReceived;
    }

    /** @return connections refused because the node had its maximum of clients. */
    public long connectionsRejected()
    {
        return connectionsRejected;
    }

    /** @return commands executed since start, refused ones included. */
    public long commandsProcessed()
    {
        return commandsProcessed;
    }

    /** @return error replies written since start. */
    public long errorReplies()
    {
        return errorReplies;
    }

    /** @return commands refused as unknown. */
    public long unknownCommands()
    {
        return unknownCommands;
    }

    /** @return connections closed for a malformed request. */
    public long protocolErrors()
    {
        return protocolErrors;
    }

    /** @return bytes received from clients. */
    public long netInputBytes()
    {
        return netInputBytes;
    }

    /** @return bytes of replies handed to the network. */
    public long netOutputBytes()
    {
        return netOutputBytes;
    }

    /** @return clients closed because their unsent output passed the limit. */
    public long outputLimitDisconnections()
    {
        return outputLimitDisconnections;
    }

    /** @return clients closed because their unparsed input passed the limit. */
    public long queryLimitDisconnections()
    {
        return queryLimitDisconnections;
    }

    /** @return write commands that found nothing to change and so ran without being logged. */
    public long unloggedWrites()
    {
        return unloggedWrites;
    }
}
