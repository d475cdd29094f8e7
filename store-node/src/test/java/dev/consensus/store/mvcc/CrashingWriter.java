package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.PutRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A child process for {@link AppliedIndexTest}: applies puts of key {@code k<index>} at Raft index
 * {@code index}, one after another, and prints each index once applied ({@code applied <index>}),
 * flushing the store after every {@value #FLUSH_EVERY}th and saying so ({@code flushed <index>}),
 * until it is killed. It stops by itself after {@value #MAX_WRITES} writes or when its parent
 * closes its stdin.
 */
public final class CrashingWriter {

    static final int MAX_WRITES = 200_000;
    static final int FLUSH_EVERY = 100;

    private CrashingWriter() {
    }

    public static void main(String[] args) {
        Thread parentWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // a live parent writes nothing; EOF means it is gone
                }
            } catch (IOException ignored) {
                // treat as gone
            }
            Runtime.getRuntime().halt(3);
        });
        parentWatch.setDaemon(true);
        parentWatch.start();
        PrintStream out = System.out;
        try (MvccStore store = MvccStore.open(Path.of(args[0]), MvccConfig.defaults())) {
            for (long index = store.appliedIndex() + 1; index <= MAX_WRITES; index++) {
                store.put(new RaftPosition(index, 1), PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("k" + index))
                        .setValue(ByteString.copyFromUtf8("v" + index)).build());
                out.println("applied " + index);
                if (index % FLUSH_EVERY == 0) {
                    store.flush();
                    out.println("flushed " + index);
                }
                out.flush();
            }
        }
    }
}
