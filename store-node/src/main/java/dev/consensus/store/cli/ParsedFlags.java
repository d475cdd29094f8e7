package dev.consensus.store.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The flags as text after the command line and the environment are merged, before typing.
 *
 * @param values flag name (no dashes) to its text, only for flags given one way or the other
 * @param fromEnvironment names of flags whose value came from an {@code ETCD_*} variable
 * @param warnings what etcd would log as warnings about the environment, in etcd's words
 * @param helpRequested {@code --help} or {@code -h} was given
 * @param versionRequested {@code --version} was given
 */
public record ParsedFlags(Map<String, String> values, Set<String> fromEnvironment, List<String> warnings,
        boolean helpRequested, boolean versionRequested) {

    public ParsedFlags {
        values = Map.copyOf(values);
        fromEnvironment = Set.copyOf(fromEnvironment);
        warnings = List.copyOf(warnings);
    }

    /** Whether the flag was given, on the command line or through its variable. */
    public boolean isSet(String flag) {
        return values.containsKey(flag);
    }

    /** The given text, if any. */
    public Optional<String> given(String flag) {
        return Optional.ofNullable(values.get(flag));
    }

    /** The given text, or the flag's etcd default. */
    public String valueOrDefault(String flag) {
        return values.getOrDefault(flag, EtcdFlags.get(flag).defaultValue());
    }
}
