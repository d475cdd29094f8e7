package dev.consensus.store.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads and writes {@code --initial-cluster}: {@code name=url,name=url,...}.
 *
 * <p>Why: a member with several peer URLs appears once per URL, and each member's URLs are
 * hashed sorted into its ID, so parsing must group by name and sort as etcd does. Promises: the
 * returned map keeps names in first-seen order and each URL list sorted; it is unmodifiable.
 */
public final class InitialCluster {

    private InitialCluster() {
    }

    /** Parses the flag's value; errors are etcd's, prefixed as etcd prefixes them. */
    public static Map<String, List<URI>> parse(String text) {
        Map<String, List<URI>> members = new LinkedHashMap<>();
        for (String entry : text.split(",", -1)) {
            String trimmed = entry.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw FlagException.verify("error setting up initial cluster: --initial-cluster entry \""
                        + trimmed + "\" is not of the form name=url");
            }
            URI url;
            try {
                url = Urls.parseOne(EtcdFlags.INITIAL_CLUSTER, text, trimmed.substring(eq + 1).trim());
            } catch (FlagException e) {
                throw FlagException.verify("error setting up initial cluster: " + e.getMessage());
            }
            members.computeIfAbsent(trimmed.substring(0, eq), name -> new ArrayList<>()).add(url);
        }
        return copyOf(members);
    }

    /** An unmodifiable copy with each member's URLs sorted. */
    public static Map<String, List<URI>> copyOf(Map<String, List<URI>> members) {
        Map<String, List<URI>> copy = new LinkedHashMap<>();
        members.forEach((name, urls) -> {
            List<URI> sorted = new ArrayList<>(urls);
            sorted.sort(Comparator.comparing(URI::toString));
            copy.put(name, List.copyOf(sorted));
        });
        return Collections.unmodifiableMap(copy);
    }

    /** The flag's text for these members, one {@code name=url} per URL. */
    public static String format(Map<String, List<URI>> members) {
        return members.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(url -> e.getKey() + "=" + url))
                .collect(Collectors.joining(","));
    }
}
