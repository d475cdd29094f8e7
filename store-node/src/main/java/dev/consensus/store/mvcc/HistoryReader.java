package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.Event;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;

/**
 * Reads stored writes back as watch events, in revision order. Because the {@code kv} column
 * family is keyed by revision, this is one forward scan. A tombstone becomes a DELETE event whose
 * KeyValue holds only the key and its mod revision, as etcd sends it.
 */
final class HistoryReader {

    /** A stored write as a watch event, with the main revision it belongs to. */
    record HistoryEvent(long revision, Event event) { }

    private HistoryReader() {
    }

    static List<HistoryEvent> read(RocksBackend backend, long from, long to) {
        List<HistoryEvent> events = new ArrayList<>();
        byte[] end = RevisionKey.startOf(to + 1);
        try (ReadOptions options = new ReadOptions(); RocksIterator it = backend.iterator(backend.kv(), options)) {
            for (it.seek(RevisionKey.startOf(from)); it.isValid(); it.next()) {
                byte[] rawKey = it.key();
                if (Arrays.compareUnsigned(rawKey, end) >= 0) {
                    break;
                }
                RevisionKey key = RevisionKey.decode(rawKey);
                KeyValue kv = IndexLoader.parse(it.value(), key);
                long main = key.revision().main();
                Event event = key.tombstone()
                        ? Event.newBuilder().setType(Event.EventType.DELETE)
                                .setKv(kv.toBuilder().setModRevision(main)).build()
                        : Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build();
                events.add(new HistoryEvent(main, event));
            }
        }
        return events;
    }
}
