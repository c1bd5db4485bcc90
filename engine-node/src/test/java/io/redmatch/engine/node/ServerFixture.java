package io.redmatch.engine.node;

import java.util.function.Consumer;

/** Starts a real node on a free port of 127.0.0.1 with the test commands, and stops it. */
final class ServerFixture implements AutoCloseable
{
    private final EngineNode node;

    ServerFixture()
    {
        this((context) ->
        {
        });
    }

    ServerFixture(final Consumer<EngineNodeContext> configure)
    {
        final EngineNodeContext context = new EngineNodeContext()
            .port(0)
            .bindAddress("127.0.0.1")
            .addCommandGroup(new TestCommands());
        configure.accept(context);
        node = new EngineNode(context).start();
    }

    EngineNode node()
    {
        return node;
    }

    int port()
    {
        return node.port();
    }

    /** Runs on the node's event loop and waits, to read its confined state. */
    <T> T onEventLoop(final java.util.concurrent.Callable<T> task) throws Exception
    {
        return node.eventLoop().submit(task).get();
    }

    public void close()
    {
        node.close();
    }
}
