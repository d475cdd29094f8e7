package dev.consensus.store.storage;

import dev.consensus.store.raft.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers that look at and damage WAL files directly, byte by byte. */
final class WalFiles {

    /** Where one intact frame lies in a segment. */
    record FrameAt(int start, int end) {}

    private WalFiles() {}

    static List<Path> segments(MemberDir dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.wal())) {
            return files.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    /** The intact frames of a segment, from its start to the first byte that is not one. */
    static List<FrameAt> frames(Path segment) throws IOException {
        return frames(Files.readAllBytes(segment));
    }

    static List<FrameAt> frames(byte[] data) {
        List<FrameAt> out = new ArrayList<>();
        int pos = 0;
        for (int n; (n = Frame.validFrameBytes(data, pos, data.length)) > 0; pos += n) {
            out.add(new FrameAt(pos, pos + n));
        }
        return out;
    }

    static void flipBit(Path file, int offset, int bit) throws IOException {
        byte[] data = Files.readAllBytes(file);
        data[offset] ^= (byte) (1 << bit);
        Files.write(file, data);
    }

    static void zero(Path file, int from, int to) throws IOException {
        byte[] data = Files.readAllBytes(file);
        for (int i = from; i < to; i++) {
            data[i] = 0;
        }
        Files.write(file, data);
    }

    static void write(Path file, int offset, byte[] bytes) throws IOException {
        byte[] data = Files.readAllBytes(file);
        System.arraycopy(bytes, 0, data, offset, bytes.length);
        Files.write(file, data);
    }

    /** Every file under {@code dir} with its bytes, to show that nothing changed. */
    static Map<Path, byte[]> contents(Path dir) {
        Map<Path, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(p, Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Entry entry(long index, long term, int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (index * 31 + term * 7 + i + 1);
        }
        return Entry.normal(index, term, data);
    }
}
