package dev.consensus.store.metrics;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parameters of a request's query string, decoded; a name may repeat, a value may be absent. */
record Query(Map<String, List<String>> parameters) {

    static Query parse(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        return new Query(parameters);
    }

    boolean has(String name) {
        return parameters.containsKey(name);
    }

    /** The first value given for {@code name}, or "" when none. */
    String first(String name) {
        List<String> values = parameters.get(name);
        return values == null ? "" : values.get(0);
    }

    /** Every non-empty value given for {@code name}. */
    Set<String> all(String name) {
        Set<String> values = new LinkedHashSet<>();
        parameters.getOrDefault(name, List.of()).stream().filter(v -> !v.isEmpty()).forEach(values::add);
        return values;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text; // a bad escape is taken literally, as a value no check matches
        }
    }
}
