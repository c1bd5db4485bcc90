package io.redmatch.engine.node;

/** The rule for a connection's name ({@code CLIENT SETNAME}, {@code HELLO ... SETNAME}), shared with the router. */
public final class ClientNames
{
    private ClientNames()
    {
    }

    /** @return true when a name has only printable ASCII other than space, as Redis requires. */
    public static boolean isValid(final String name)
    {
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c < '!' || c > '~')
            {
                return false;
            }
        }
        return true;
    }
}
