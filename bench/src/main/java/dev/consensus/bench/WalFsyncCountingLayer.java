package dev.consensus.bench;

import dev.consensus.store.storage.FileHandle;
import dev.consensus.store.storage.ForwardingFileLayer;
import dev.consensus.store.storage.RealFileLayer;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real file layer, counting fsyncs of files (not directories), so that the WAL benchmark can
 * report how many appends shared each fsync.
 */
final class WalFsyncCountingLayer extends ForwardingFileLayer {

    private final AtomicLong fileForces = new AtomicLong();

    WalFsyncCountingLayer() {
        super(new RealFileLayer());
    }

    long fileForces() {
        return fileForces.get();
    }

    @Override
    protected FileHandle wrap(FileHandle handle) {
        return new ForwardingHandle(handle) {
            @Override
            public void force() throws IOException {
                super.force();
                fileForces.incrementAndGet();
            }
        };
    }
}
