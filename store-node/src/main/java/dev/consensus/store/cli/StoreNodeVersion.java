package dev.consensus.store.cli;

/**
 * The version lines {@code store-node --version} prints, in etcd's "Name: value" layout.
 *
 * <p>Why: scripts and the operator read a member's version the way they read etcd's. The
 * project version is a constant because the build does not filter resources; a test checks it
 * against the pom, so a release that forgets it fails the build.
 */
public final class StoreNodeVersion {

    /** This build's project version; kept equal to the pom's by StoreNodeVersionTest. */
    public static final String VERSION = "0.1.0-SNAPSHOT";
    /** The etcd API version served. */
    public static final String API_VERSION = "3.5";

    private StoreNodeVersion() {
    }

    /** The lines, each ending in a newline. */
    public static String text() {
        return "store-node Version: " + VERSION + "\n"
                + "API Version: " + API_VERSION + "\n"
                + "Java Version: " + System.getProperty("java.version") + "\n"
                + "OS/Arch: " + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/"
                + System.getProperty("os.arch") + "\n";
    }
}
