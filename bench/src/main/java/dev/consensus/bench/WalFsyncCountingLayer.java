package dev.consensus.bench;

import dev.consensus.store.storage.FileHandle;
import dev.consensus.store.storage.FileLayer;
import dev.consensus.store.storage.RealFileLayer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real file layer, counting fsyncs of files (not directories), so that the WAL benchmark can
 * report how many appends shared each fsync.
 */
final class WalFsyncCountingLayer implements FileLayer {

    private final RealFileLayer real = new RealFileLayer();
    private final AtomicLong fileForces = new AtomicLong();

    long fileForces() {
        return fileForces.get();
    }

    @Override
    public FileHandle create(Path file) throws IOException {
        return new Counting(real.create(file));
    }

    @Override
    public FileHandle open(Path file) throws IOException {
        return new Counting(real.open(file));
    }

    @Override
    public boolean exists(Path path) {
        return real.exists(path);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return real.list(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        real.delete(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        real.rename(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        real.syncDirectory(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        real.createDirectories(dir);
    }

    private final class Counting implements FileHandle {
        private final FileHandle delegate;

        Counting(FileHandle delegate) {
            this.delegate = delegate;
        }

        @Override
        public Path path() {
            return delegate.path();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            delegate.write(src, position);
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public void force() throws IOException {
            delegate.force();
            fileForces.incrementAndGet();
        }

        @Override
        public void truncate(long size) throws IOException {
            delegate.truncate(size);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
