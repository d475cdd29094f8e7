package dev.consensus.store.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Reads etcd's flags from a command line and {@code ETCD_*} variables from an environment.
 *
 * <p>Why: {@code store-node} must start from the exact command line and environment a
 * StatefulSet gives {@code etcd}. Promises, following etcd's pkg/flags: a flag not on the command
 * line takes its {@code ETCD_*} variable (name upper-cased, dashes to underscores); a flag given
 * both ways is refused in etcd's words, as etcd refuses to start then; an {@code ETCD_*} variable
 * naming no flag yields etcd's "unrecognized environment variable" warning; a flag given twice
 * keeps the last value, as Go's flag package does; flags may be written with one dash or two
 * ({@link GoFlagSyntax}); a deprecated name ({@link EtcdFlags#RENAMED}) sets its flag, with
 * etcd's warning. The environment is a parameter, so tests need no process environment. Errors
 * are {@link FlagException}s with etcd's messages; nothing else is thrown for bad input.
 */
public final class FlagParser {

    private static final String HELP = "--help";
    private static final String VERSION = "--version";

    private FlagParser() {
    }

    /** Parses {@code args} with {@code environment} as the fallback for flags not given. */
    public static ParsedFlags parse(List<String> args, Map<String, String> environment) {
        CommandSpec spec = commandSpec();
        ParseResult result;
        try {
            result = new CommandLine(spec).parseArgs(GoFlagSyntax.normalize(args).toArray(String[]::new));
        } catch (CommandLine.UnmatchedArgumentException e) {
            throw FlagException.parse(unmatched(e.getUnmatched()));
        } catch (CommandLine.MissingParameterException e) {
            String option = e.getMissing().isEmpty() ? "" : e.getMissing().get(0).paramLabel();
            throw FlagException.parse("flag needs an argument: " + missingFlag(e, option));
        } catch (CommandLine.ParameterException e) {
            throw FlagException.parse(e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        Set<String> fromCommandLine = new HashSet<>();
        for (FlagDefinition flag : EtcdFlags.ALL) {
            if (result.hasMatchedOption(flag.option())) {
                values.put(flag.name(), spec.findOption(flag.option()).getValue());
                fromCommandLine.add(flag.name());
            }
        }
        List<String> warnings = new ArrayList<>();
        Set<String> fromEnvironment = applyEnvironment(environment, fromCommandLine, values, warnings);
        applyRenames(values, fromEnvironment, warnings);
        return new ParsedFlags(values, fromEnvironment, warnings,
                result.hasMatchedOption(HELP), result.hasMatchedOption(VERSION));
    }

    private static Set<String> applyEnvironment(Map<String, String> environment, Set<String> fromCommandLine,
            Map<String, String> values, List<String> warnings) {
        Map<String, FlagDefinition> byVariable = new HashMap<>();
        EtcdFlags.ALL.forEach(flag -> byVariable.put(flag.envVariable(), flag));
        Set<String> fromEnvironment = new HashSet<>();
        // Sorted, so warnings come out in the same order on every run.
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String key = variable.getKey();
            if (!key.startsWith(FlagDefinition.ENV_PREFIX)) {
                continue;
            }
            FlagDefinition flag = byVariable.get(key);
            if (flag == null) {
                warnings.add("unrecognized environment variable " + key + "=" + variable.getValue());
            } else if (fromCommandLine.contains(flag.name())) {
                throw new FlagException(FlagException.Kind.VERIFY, "conflicting environment variable \"" + key
                        + "\" is shadowed by corresponding command-line flag (either unset environment variable"
                        + " or disable flag)");
            } else {
                values.put(flag.name(), variable.getValue());
                fromEnvironment.add(flag.name());
            }
        }
        return fromEnvironment;
    }

    /**
     * Moves a value given under a deprecated name to the flag's current name, as etcd 3.6 does:
     * with its deprecation warning, and refusing the two names together.
     */
    private static void applyRenames(Map<String, String> values, Set<String> fromEnvironment, List<String> warnings) {
        for (Map.Entry<String, String> rename : new TreeMap<>(EtcdFlags.RENAMED).entrySet()) {
            String oldName = rename.getKey();
            String newName = rename.getValue();
            if (!values.containsKey(oldName)) {
                continue;
            }
            if (values.containsKey(newName)) {
                throw FlagException.verify("cannot set --" + oldName + " and --" + newName
                        + " at the same time, please use --" + newName + " only");
            }
            values.put(newName, values.remove(oldName));
            if (fromEnvironment.remove(oldName)) {
                fromEnvironment.add(newName);
            }
            warnings.add("--" + oldName + " is deprecated in v3.6 and will be decommissioned in v3.7. Use '--"
                    + newName + "' instead.");
        }
    }

    /** The usage text {@code --help} prints. */
    public static String usage() {
        return new CommandLine(commandSpec()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static CommandSpec commandSpec() {
        CommandSpec spec = CommandSpec.create().name("store-node");
        spec.usageMessage()
                .description("A replicated key-value store that speaks etcd's v3 API.",
                        "Every flag may also be set by its ETCD_* environment variable"
                                + " (upper case, dashes as underscores); setting both is refused, as etcd refuses it.",
                        "To restore an 'etcdctl snapshot save' backup as a new cluster:"
                                + " store-node snapshot restore <filename> [flags] (see --help of that command).");
        spec.parser().overwrittenOptionsAllowed(true);
        for (FlagDefinition flag : EtcdFlags.ALL) {
            OptionSpec.Builder option = OptionSpec.builder(flag.option())
                    .paramLabel("<" + flag.label() + ">")
                    .type(String.class)
                    .description(flag.description() + defaultNote(flag));
            if (flag.isSwitch()) {
                option.arity("0..1").fallbackValue("true");
            } else {
                option.arity("1");
            }
            spec.addOption(option.build());
        }
        spec.addOption(OptionSpec.builder(HELP, "-h").type(boolean.class).arity("0").usageHelp(true)
                .description("Show this help and exit.").build());
        spec.addOption(OptionSpec.builder(VERSION).type(boolean.class).arity("0").versionHelp(true)
                .description("Print the version and exit.").build());
        return spec;
    }

    private static String defaultNote(FlagDefinition flag) {
        return flag.defaultValue().isEmpty() ? "" : " Default: " + flag.defaultValue() + ".";
    }

    private static String unmatched(List<String> unmatched) {
        String first = unmatched.isEmpty() ? "" : unmatched.get(0);
        if (first.startsWith("-")) {
            int eq = first.indexOf('=');
            String name = (eq < 0 ? first : first.substring(0, eq)).replaceFirst("^--?", "");
            return "flag provided but not defined: -" + name;
        }
        return "'" + first + "' is not a valid flag";
    }

    private static String missingFlag(CommandLine.MissingParameterException e, String fallback) {
        return e.getMissing().stream()
                .filter(OptionSpec.class::isInstance)
                .map(arg -> "-" + ((OptionSpec) arg).longestName().replaceFirst("^--?", ""))
                .findFirst()
                .orElse(fallback);
    }
}
