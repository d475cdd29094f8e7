package dev.consensus.store.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a command line from Go's flag syntax, which etcd uses, into the double-dash form
 * picocli reads.
 *
 * <p>Why: Go's flag package takes {@code -name x}, {@code -name=x}, {@code --name x} and
 * {@code --name=x} alike, and command lines written for etcd use any of them. Rules, as in Go:
 * one or two dashes mean the same; a flag that takes a value and has no {@code =} takes the
 * next argument as its value even if that starts with a dash; three dashes, or a dash followed
 * by {@code =}, is "bad flag syntax"; {@code --} ends the flags. Switches never take the next
 * argument, and {@code -h}/{@code --h} ask for help as {@code -help} does.
 */
final class GoFlagSyntax {

    private GoFlagSyntax() {
    }

    static List<String> normalize(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                out.addAll(args.subList(i, args.size()));
                break;
            }
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                out.add(arg); // not a flag ("-" alone is an argument in Go too)
                continue;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            if (body.isEmpty() || body.startsWith("-") || body.startsWith("=")) {
                throw FlagException.parse("bad flag syntax: " + arg);
            }
            if (body.equals("h")) {
                out.add("-h");
                continue;
            }
            if (!body.contains("=") && takesValue(body) && i + 1 < args.size()) {
                out.add("--" + body + "=" + args.get(++i));
            } else {
                out.add("--" + body);
            }
        }
        return out;
    }

    private static boolean takesValue(String name) {
        return EtcdFlags.find(name).map(flag -> !flag.isSwitch()).orElse(false);
    }
}
