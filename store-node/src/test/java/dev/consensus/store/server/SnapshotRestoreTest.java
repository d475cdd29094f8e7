package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.store.cli.StoreNodeMain;
import dev.consensus.store.mvcc.MvccConfig;
import dev.consensus.store.mvcc.MvccStore;
import dev.consensus.store.mvcc.RaftPosition;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store-node snapshot restore}: what it writes, and every file it must refuse. */
class SnapshotRestoreTest {

    @TempDir
    Path dir;

    private Path snapshot;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void saveASnapshot() throws Exception {
        try (MvccStore store = MvccStore.open(dir.resolve("source"), MvccConfig.defaults())) {
            store.put(new RaftPosition(41, 2), PutRequest.newBuilder().setKey(bs("k")).setValue(bs("v")).build());
            store.applyMembership(new RaftPosition(42, 2), "the old cluster".getBytes(StandardCharsets.UTF_8));
            store.checkpoint(dir.resolve("checkpoint"));
        }
        snapshot = dir.resolve("backup.db");
        try (SnapshotExport export = SnapshotExport.of(dir.resolve("checkpoint"));
                OutputStream file = Files.newOutputStream(snapshot)) {
            for (byte[] chunk = export.next(4096); chunk != null; chunk = export.next(4096)) {
                file.write(chunk);
            }
        }
    }

    @Test
    void restoreWritesANewMembersDataDirWhoseStoreKeepsTheDataAndForgetsTheOldCluster() throws Exception {
        Path data = dir.resolve("m1.etcd");

        assertThat(restore(snapshot, data, "m1")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("restored snapshot " + snapshot + " to data-dir " + data);
        assertThat(data.resolve("member/wal")).isDirectory();
        try (MvccStore store = MvccStore.open(data.resolve("member/kv"), MvccConfig.defaults())) {
            assertThat(store.range(RangeRequest.newBuilder().setKey(bs("k")).build()).getKvs(0).getValue())
                    .isEqualTo(bs("v"));
            assertThat(store.appliedIndex()).as("the new cluster's entries start from 1").isZero();
            assertThat(store.membership()).isEmpty();
        }
    }

    @Test
    void aSnapshotWithOneByteChangedIsRefusedAndLeavesNoDataDir() throws Exception {
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 1;
        Files.write(snapshot, bytes);
        Path data = dir.resolve("m1.etcd");

        assertThat(restore(snapshot, data, "m1")).isEqualTo(1);

        assertThat(err.toString()).contains("snapshot restore failed").containsAnyOf("expected sha256",
                "integrity check failed");
        assertThat(data).doesNotExist();
    }

    @Test
    void aCutSnapshotIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(snapshot);
        Files.write(snapshot, java.util.Arrays.copyOf(bytes, bytes.length - 100));

        assertThat(restore(snapshot, dir.resolve("m1.etcd"), "m1")).isEqualTo(1);

        assertThat(err.toString()).contains("snapshot missing hash");
    }

    @Test
    void aFileThatIsNotAStoreNodeSnapshotIsRefusedWithWhatItIs() throws Exception {
        byte[] body = new byte[1024]; // a bbolt file would be pages; zeros will do
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
        Path foreign = dir.resolve("etcd.db");
        Files.write(foreign, concat(body, hash));

        assertThat(restore(foreign, dir.resolve("m1.etcd"), "m1")).isEqualTo(1);

        assertThat(err.toString()).contains("is not a store-node snapshot");
    }

    @Test
    void aDataDirThatHoldsSomethingIsNeverOverwritten() throws Exception {
        Path data = dir.resolve("m1.etcd");
        Files.createDirectories(data);
        Files.writeString(data.resolve("keep"), "mine");

        assertThat(restore(snapshot, data, "m1")).isEqualTo(1);

        assertThat(err.toString()).contains("data-dir \"" + data + "\" exists");
        assertThat(data.resolve("keep")).hasContent("mine");
    }

    @Test
    void withoutAFileItSaysHowToUseIt() {
        assertThat(StoreNodeMain.run(List.of("snapshot", "restore"), Map.of(), print(out), print(err))).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: store-node snapshot restore <filename>");
    }

    private int restore(Path file, Path data, String name) {
        List<String> args = new ArrayList<>(List.of("snapshot", "restore", file.toString(),
                "--name", name, "--data-dir", data.toString(),
                "--initial-cluster", "m1=http://127.0.0.1:12380,m2=http://127.0.0.1:22380",
                "--initial-advertise-peer-urls", "http://127.0.0.1:12380",
                "--initial-cluster-token", "restored"));
        return StoreNodeMain.run(args, Map.of(), print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
