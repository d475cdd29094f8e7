package dev.consensus.store.storage;

import java.nio.file.Path;

/**
 * A member's directory, laid out as etcd's: {@code <data-dir>/member/wal/} holds the WAL
 * segments, {@code member/snap/} the Raft snapshot files, and {@code member/kv/} the state
 * machine (not this package's).
 */
public record MemberDir(Path path) {

    /** The member directory inside an etcd-style {@code --data-dir}. */
    public static MemberDir inDataDir(Path dataDir) {
        return new MemberDir(dataDir.resolve("member"));
    }

    public Path wal() {
        return path.resolve("wal");
    }

    public Path snap() {
        return path.resolve("snap");
    }
}
