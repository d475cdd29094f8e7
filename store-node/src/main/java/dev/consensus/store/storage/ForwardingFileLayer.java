package dev.consensus.store.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A file layer that hands every operation to another, for layers that watch what the storage
 * does (a benchmark counting fsyncs, a test measuring what waits for one) without changing it:
 * they override {@link #wrap} and the handle methods they watch.
 */
public class ForwardingFileLayer implements FileLayer {

    private final FileLayer delegate;

    public ForwardingFileLayer(FileLayer delegate) {
        this.delegate = delegate;
    }

    /** The handle given out for a file created or opened through this layer; the delegate's own by default. */
    protected FileHandle wrap(FileHandle handle) {
        return handle;
    }

    @Override
    public FileHandle create(Path file) throws IOException {
        return wrap(delegate.create(file));
    }

    @Override
    public FileHandle open(Path file) throws IOException {
        return wrap(delegate.open(file));
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return delegate.list(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        delegate.delete(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        delegate.rename(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        delegate.syncDirectory(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        delegate.createDirectories(dir);
    }

    /** A handle that hands every operation to another; subclasses override what they watch or change. */
    public static class ForwardingHandle implements FileHandle {

        private final FileHandle delegate;

        public ForwardingHandle(FileHandle delegate) {
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
