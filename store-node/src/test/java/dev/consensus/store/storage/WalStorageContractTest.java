package dev.consensus.store.storage;

import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.LogStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The {@link LogStorageContract} for the durable storage, on real files. */
class WalStorageContractTest extends LogStorageContract {

    private static final WalConfig CONFIG = new WalConfig(16 * 1024, 4096, 5);

    @TempDir
    Path tmp;

    private final List<WalStorage> opened = new ArrayList<>();

    private MemberDir nextDir() {
        return new MemberDir(tmp.resolve("member-" + opened.size()));
    }

    @Override
    LogStorage bootstrap(ConfState members) {
        try {
            WalStorage storage = WalStorage.createMember(nextDir(), members, CONFIG, new RealFileLayer());
            opened.add(storage);
            return storage;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    LogStorage joining() {
        try {
            WalStorage storage = WalStorage.createJoining(nextDir(), CONFIG, new RealFileLayer());
            opened.add(storage);
            return storage;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void closeAll() {
        opened.forEach(WalStorage::close);
    }
}
