package io.redmatch.engine.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives a node into a state that touches every part a snapshot holds: two pairs (one halted), resting orders at
 * several levels and both sides, partial fills, every time in force, post-only, market orders by quantity and by
 * quote amount, stop-limit and stop-market orders pending on both sides and triggered, amends, cancels by id, by
 * client id and all of an account, retained closed orders with client ids, fills, and consumer groups with pending
 * entries owned by several consumers.
 * Commands go in pipelines; business errors (e.g. a stop already reached) are part of the mix and ignored.
 */
final class VariedState
{
    static final String PAIR = "BTC-USDT";
    static final String SECOND_PAIR = "ETH-USDT";
    private static final String[] ACCOUNTS = {"alice", "bob", "carol", "dave", "erin", "frank"};

    private VariedState()
    {
    }

    /**
     * @param client a connection to the node, which serves {@link #PAIR} with tick 0.01 and lot 0.001.
     * @param random the source of the mix; the same seed gives the same commands.
     * @param rounds how many batches of orders.
     */
    static void build(final LogTestClient client, final Random random, final int rounds)
    {
        client.pipeline(List.<String[]>of(
            new String[]{"PAIR.ADD", SECOND_PAIR, "TICK", "0.01", "LOT", "0.0001", "MAKER_FEE", "0.001", "TAKER_FEE",
                "0.002"},
            new String[]{"XGROUP", "CREATE", "fills:" + PAIR, "clearing", "0"},
            new String[]{"XGROUP", "CREATE", "fills:" + PAIR, "audit", "0"}));
        for (int round = 0; round < rounds; round++)
        {
            final List<String[]> batch = new ArrayList<>();
            for (int i = 0; i < 40; i++)
            {
                batch.add(order(random, random.nextInt(5) == 0 ? SECOND_PAIR : PAIR, round));
            }
            for (int i = 0; i < 6; i++)
            {
                final String id = String.valueOf(1 + random.nextInt(40 * (round + 1)));
                switch (random.nextInt(4))
                {
                    case 0:
                        batch.add(new String[]{"ORDER.CANCEL", PAIR, id});
                        break;
                    case 1:
                        batch.add(new String[]{"ORDER.AMEND", PAIR, id, "QTY", "0.001"});
                        break;
                    case 2:
                        batch.add(new String[]{"ORDER.AMEND", PAIR, id, "PRICE", price(random)});
                        break;
                    default:
                        batch.add(new String[]{"ORDER.CANCEL", PAIR, "CLIENT_ID", account(random), "c" + (round - 1) +
                            "-" + random.nextInt(40)});
                        break;
                }
            }
            batch.add(new String[]{"XREADGROUP", "GROUP", "clearing", "c" + random.nextInt(3), "COUNT",
                String.valueOf(1 + random.nextInt(8)), "STREAMS", "fills:" + PAIR, ">"});
            batch.add(new String[]{"XREADGROUP", "GROUP", "audit", "auditor", "COUNT", "2", "STREAMS",
                "fills:" + PAIR, ">"});
            batch.add(new String[]{"XACK", "fills:" + PAIR, "clearing", (1 + random.nextInt(20 * (round + 1))) + "-0",
                (1 + random.nextInt(20 * (round + 1))) + "-0"});
            if (round == rounds / 2)
            {
                batch.add(new String[]{"ORDER.CANCELALL", PAIR, "ACCOUNT", "frank"});
            }
            client.pipeline(batch);
        }
        client.pipeline(List.<String[]>of(new String[]{"PAIR.HALT", SECOND_PAIR}));
    }

    private static String[] order(final Random random, final String pair, final int round)
    {
        final List<String> args = new ArrayList<>(List.of("ORDER.PLACE", pair, random.nextBoolean() ? "BUY" : "SELL",
            "ACCOUNT", account(random)));
        final int kind = random.nextInt(20);
        if (kind == 0 && args.get(2).equals("BUY"))
        {
            args.addAll(List.of("QUOTE_QTY", String.valueOf(100 + random.nextInt(900))));
        }
        else
        {
            args.addAll(List.of("QTY", "0.0" + (10 + random.nextInt(80))));
        }
        if (kind >= 2)
        {
            args.addAll(List.of("PRICE", price(random)));
        }
        if (kind == 1 && random.nextBoolean())
        {
            // a stop-market order
            args.addAll(List.of("STOP", String.valueOf(args.get(2).equals("BUY") ? 101 + random.nextInt(8) :
                92 + random.nextInt(8))));
        }
        if (kind >= 2 && kind < 5)
        {
            // a stop whose trigger is often beyond the last trade on its side: some are refused, the rest wait
            args.addAll(List.of("STOP", String.valueOf(args.get(2).equals("BUY") ? 101 + random.nextInt(8) :
                92 + random.nextInt(8))));
        }
        else if (kind == 5)
        {
            args.addAll(List.of("TIF", "IOC"));
        }
        else if (kind == 6)
        {
            args.addAll(List.of("TIF", "FOK"));
        }
        else if (kind == 7)
        {
            args.add("POST_ONLY");
        }
        if (random.nextInt(4) == 0)
        {
            args.addAll(List.of("CLIENT_ID", "c" + round + "-" + random.nextInt(40)));
        }
        if (random.nextInt(6) == 0)
        {
            args.addAll(List.of("STP", List.of("NONE", "CANCEL_TAKER", "CANCEL_MAKER", "CANCEL_BOTH")
                .get(random.nextInt(4))));
        }
        return args.toArray(new String[0]);
    }

    private static String price(final Random random)
    {
        return (95 + random.nextInt(11)) + "." + random.nextInt(10) + "0";
    }

    private static String account(final Random random)
    {
        return ACCOUNTS[random.nextInt(ACCOUNTS.length)];
    }
}
