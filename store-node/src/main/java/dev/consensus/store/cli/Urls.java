package dev.consensus.store.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses etcd's comma-separated URL lists.
 *
 * <p>Why: etcd accepts a URL only with a scheme, a {@code host:port} and no path, and keeps a
 * list sorted; member IDs hash that form, so we must read URLs the same way. Promises: every
 * returned URI has scheme http or https, a host and a port, and an empty path; the list is
 * sorted by its text. Errors use etcd's words, except that unix sockets, which etcd also takes,
 * are refused because store-node does not serve them.
 */
public final class Urls {

    private Urls() {
    }

    /** Parses {@code text} (URLs separated by commas) given for {@code flag}. */
    public static List<URI> parseList(String flag, String text) {
        List<URI> urls = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            urls.add(parseOne(flag, text, part.trim()));
        }
        urls.sort(Comparator.comparing(URI::toString));
        return List.copyOf(urls);
    }

    /** Parses one URL; {@code whole} is the flag's full value, quoted in errors. */
    static URI parseOne(String flag, String whole, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw FlagException.invalidValue(flag, whole, "parse \"" + text + "\": " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw FlagException.invalidValue(flag, whole,
                    "URL scheme must be http or https (store-node serves no unix sockets): " + text);
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw FlagException.invalidValue(flag, whole,
                    "URL address does not have the form \"host:port\": " + text);
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw FlagException.invalidValue(flag, whole, "URL must not contain a path: " + text);
        }
        return uri;
    }
}
