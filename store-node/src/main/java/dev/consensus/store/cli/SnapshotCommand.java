package dev.consensus.store.cli;

import dev.consensus.store.server.SnapshotRestore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code store-node snapshot restore <file> <etcd's flags>}: what {@code etcdutl snapshot restore}
 * does for etcd, for a snapshot that {@code etcdctl snapshot save} took from a store-node member.
 * It takes the flags the member will start with ({@code --name}, {@code --data-dir}, {@code
 * --initial-cluster}, {@code --initial-cluster-token}, {@code --initial-advertise-peer-urls}), so
 * that one command line serves both; exit 0 on success, 1 with the reason otherwise.
 */
final class SnapshotCommand {

    static final String NAME = "snapshot";
    private static final String USAGE = """
            Usage: store-node snapshot restore <filename> [etcd flags]
              Restores a snapshot saved with 'etcdctl snapshot save' from a store-node member into a
              new data directory (--data-dir, default ${name}.etcd), as a member (--name) of a new
              cluster (--initial-cluster, --initial-cluster-token, --initial-advertise-peer-urls).
              Restore every member of the new cluster from the same file, then start each with the
              same flags.
            """;

    private SnapshotCommand() {
    }

    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("-h")) {
            (args.isEmpty() ? err : out).print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        if (!args.getFirst().equals("restore")) {
            err.println("store-node: unknown snapshot command \"" + args.getFirst() + "\"");
            err.print(USAGE);
            return 2;
        }
        if (args.size() < 2 || args.get(1).startsWith("-")) {
            err.println("store-node: snapshot restore expects one argument, the snapshot file");
            err.print(USAGE);
            return 2;
        }
        Path file = Path.of(args.get(1));
        ServerConfig config;
        try {
            config = ConfigBinder.bind(FlagParser.parse(args.subList(2, args.size()), environment));
        } catch (FlagException e) {
            err.println("store-node: " + e.getMessage());
            return e.kind().exitCode();
        }
        if (!Files.isRegularFile(file)) {
            err.println("store-node: snapshot restore: open " + file + ": no such file or directory");
            return 1;
        }
        try {
            SnapshotRestore.restore(file, NodeRunner.settings(config));
        } catch (IOException | RuntimeException e) {
            err.println("store-node: snapshot restore failed: " + e.getMessage());
            return 1;
        }
        out.println("restored snapshot " + file + " to data-dir " + config.dataDir() + " as member " + config.name()
                + " of a new cluster: " + config.bootstrap().initialCluster().keySet());
        return 0;
    }
}
