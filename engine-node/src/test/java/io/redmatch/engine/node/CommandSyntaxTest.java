package io.redmatch.engine.node;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandSyntaxTest
{
    @Test
    void turnsASyntaxLineIntoRedisArguments()
    {
        final List<CommandSyntax.Argument> arguments = CommandSyntax.parse(
            "<pair> <BUY|SELL> ACCOUNT <id> (QTY <q> | QUOTE_QTY <amt>) [PRICE <p>] [POST_ONLY] <key> ...");
        assertEquals(7, arguments.size());
        assertEquals(new CommandSyntax.Argument("pair", "string", null, false, false, List.of()), arguments.get(0));
        assertEquals("oneof", arguments.get(1).type());
        assertEquals(2, arguments.get(1).arguments().size());
        assertEquals(new CommandSyntax.Argument("id", "string", "ACCOUNT", false, false, List.of()), arguments.get(2));
        assertEquals("oneof", arguments.get(3).type());
        assertEquals("QUOTE_QTY", arguments.get(3).arguments().get(1).token());
        assertEquals(new CommandSyntax.Argument("p", "string", "PRICE", true, false, List.of()), arguments.get(4));
        assertEquals(new CommandSyntax.Argument("post_only", "pure-token", "POST_ONLY", true, false, List.of()),
            arguments.get(5));
        assertTrue(arguments.get(6).multiple());
    }

    @Test
    void neverFailsOnMalformedSyntax()
    {
        CommandSyntax.parse("[unclosed <x");
        CommandSyntax.parse("] ) | ...");
        assertEquals(List.of(), CommandSyntax.parse(""));
    }
}
