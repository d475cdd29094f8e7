package dev.consensus.store.mvcc;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh store with default limits in a temporary directory for each test, closed after it. */
abstract class StoreTestBase {

    @TempDir
    Path dir;

    MvccFixture kv;

    @BeforeEach
    void open() {
        kv = MvccFixture.open(dir);
    }

    @AfterEach
    void close() {
        kv.close();
    }
}
