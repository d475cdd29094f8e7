package dev.consensus.bench.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How to start one member of a server that takes etcd's flags: the program and its leading
 * arguments, a label for reports, and flags appended after the common ones (etcd's logger
 * settings, say, which another server need not know).
 */
public record ServerCommand(String label, List<String> program, List<String> extraFlags) {

    public ServerCommand {
        program = List.copyOf(program);
        extraFlags = List.copyOf(extraFlags);
        if (program.isEmpty()) {
            throw new IllegalArgumentException("the server command of " + label + " is empty");
        }
    }

    /** The jar the store-node build produces; the default other side when it exists. */
    public static final Path STORE_NODE_JAR = Path.of("store-node", "target", "store-node.jar");
    /** The launcher that runs that jar with the JVM options a deployment gets. */
    public static final Path STORE_NODE_LAUNCHER = Path.of("bin", "store-node");

    /** etcd, logging to stderr (which the member's log file captures) with zap, 3.4's non-deprecated logger. */
    public static ServerCommand etcd(Path binary, List<String> extraFlags) {
        List<String> flags = new ArrayList<>(List.of("--logger=zap", "--log-outputs=stderr"));
        flags.addAll(extraFlags);
        return new ServerCommand("etcd", List.of(binary.toString()), flags);
    }

    /**
     * store-node as it is deployed: its launcher when there is one (it execs the JVM, so the PID
     * signalled and sampled is the JVM's), else its jar on the JVM running this benchmark; empty
     * when the jar has not been built.
     */
    public static Optional<ServerCommand> storeNode(Path launcher, Path jar, List<String> extraFlags) {
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        if (Files.isExecutable(launcher)) {
            return Optional.of(new ServerCommand("store-node", List.of(launcher.toString()), extraFlags));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        return Optional.of(new ServerCommand("store-node",
                List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()), extraFlags));
    }

    /** A command given as one string of words separated by spaces (no quoting). */
    public static ServerCommand parse(String label, String words, List<String> extraFlags) {
        return new ServerCommand(label, Arrays.stream(words.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList(),
                extraFlags);
    }
}
