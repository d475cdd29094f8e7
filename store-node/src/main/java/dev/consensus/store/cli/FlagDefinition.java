package dev.consensus.store.cli;

import java.util.Locale;

/**
 * One etcd flag that {@code store-node} accepts: its name, how it is shown in help, its default
 * as etcd writes it, and whether it is a switch.
 *
 * <p>Why: the flag list is data, read by the parser (to build picocli's options), by the
 * environment lookup (to derive {@code ETCD_*} names) and by the documentation test, so the
 * three cannot drift apart.
 *
 * @param name the flag's name without dashes, exactly as etcd spells it
 * @param label the placeholder shown in help for the value
 * @param defaultValue the value used when neither the flag nor its variable is given, as text
 * @param description one line saying what the flag means
 * @param isSwitch true for boolean flags, which may be given without a value
 */
public record FlagDefinition(String name, String label, String defaultValue, String description, boolean isSwitch) {

    /** The prefix etcd puts before every environment variable derived from a flag. */
    public static final String ENV_PREFIX = "ETCD_";

    /** A flag that takes a value. */
    public static FlagDefinition valued(String name, String label, String defaultValue, String description) {
        return new FlagDefinition(name, label, defaultValue, description, false);
    }

    /** A boolean flag, false unless given. */
    public static FlagDefinition toggle(String name, String description) {
        return new FlagDefinition(name, "true|false", "false", description, true);
    }

    /** The flag as typed on the command line: {@code --name}. */
    public String option() {
        return "--" + name;
    }

    /** The environment variable that fills this flag when it is not on the command line. */
    public String envVariable() {
        return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
