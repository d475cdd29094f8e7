package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The index, compaction and rebuild-at-open against the simplest possible model: every write ever
 * made, per key, from which a read at any revision is computed directly. Random puts, deletes,
 * txns, compactions and restarts; after each step, reads at random uncompacted revisions must
 * agree. Seeded; a failure names its seed and step.
 */
class StoreModelTest {

    private static final int STEPS = 250;
    private static final String[] KEYS = {"a", "b", "c", "d", "e", "f", "g", "h"};

    @TempDir
    Path dir;

    /** One write of the model: a value, or a deletion when {@code value} is null. */
    private record Write(long revision, String value) { }

    private final TreeMap<String, List<Write>> history = new TreeMap<>();
    private long revision = 1;
    private long compacted;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14})
    void reads_at_every_uncompacted_revision_match_the_model(long seed) {
        Random random = new Random(seed);
        try (MvccFixture kv = MvccFixture.open(dir.resolve("seed-" + seed))) {
            for (int step = 0; step < STEPS; step++) {
                String what = apply(kv, random, step);
                long at = compacted + (long) (random.nextDouble() * (revision - compacted + 1));
                at = Math.max(at, Math.max(compacted, 1));
                assertThat(store(kv, at)).as("seed %d step %d (%s): read at %d", seed, step, what, at)
                        .isEqualTo(model(at));
                assertThat(kv.store().currentRevision()).as("seed %d step %d", seed, step).isEqualTo(revision);
            }
        }
    }

    private String apply(MvccFixture kv, Random random, int step) {
        int choice = random.nextInt(20);
        if (choice < 9) {
            String key = KEYS[random.nextInt(KEYS.length)];
            kv.put(key, "v" + step);
            record(key, "v" + step, ++revision);
            return "put " + key;
        }
        if (choice < 13) {
            String from = KEYS[random.nextInt(KEYS.length)];
            String to = KEYS[random.nextInt(KEYS.length)];
            kv.delete(DeleteRangeRequest.newBuilder().setKey(bytes(from)).setRangeEnd(bytes(to + "\0")));
            List<String> live = from.compareTo(to) > 0 ? List.of() : history.subMap(from, true, to, true)
                    .keySet().stream().filter(k -> valueAt(k, revision) != null).toList();
            if (!live.isEmpty()) {
                revision++;
                live.forEach(k -> record(k, null, revision));
            }
            return "delete [" + from + ", " + to + "]";
        }
        if (choice < 17) {
            String first = KEYS[random.nextInt(4)];
            String second = KEYS[4 + random.nextInt(4)];
            kv.txn(TxnRequest.newBuilder()
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes(first))
                            .setValue(bytes("t" + step))))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes(second))
                            .setValue(bytes("t" + step)))));
            revision++;
            record(first, "t" + step, revision);
            record(second, "t" + step, revision);
            return "txn " + first + " " + second;
        }
        if (choice < 19 && revision > compacted + 1) {
            long to = compacted + 1 + random.nextInt((int) (revision - compacted));
            kv.store().compact(kv.next(), CompactionRequest.newBuilder().setRevision(to).build());
            compacted = to;
            return "compact " + to;
        }
        kv.reopen();
        return "reopen";
    }

    private void record(String key, String value, long at) {
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(new Write(at, value));
    }

    private String valueAt(String key, long at) {
        String value = null;
        for (Write write : history.getOrDefault(key, List.of())) {
            if (write.revision() <= at) {
                value = write.value();
            }
        }
        return value;
    }

    /** Every live key at {@code at} as key, value, create revision, mod revision and version. */
    private List<String> model(long at) {
        List<String> rows = new ArrayList<>();
        history.forEach((key, writes) -> {
            long created = 0;
            long version = 0;
            Write last = null;
            for (Write write : writes) {
                if (write.revision() > at) {
                    break;
                }
                if (write.value() == null) {
                    created = 0;
                    version = 0;
                    last = null;
                } else {
                    created = version == 0 ? write.revision() : created;
                    version++;
                    last = write;
                }
            }
            if (last != null) {
                rows.add(key + "=" + last.value() + " c" + created + " m" + last.revision() + " v" + version);
            }
        });
        return rows;
    }

    private static List<String> store(MvccFixture kv, long at) {
        List<KeyValue> kvs = kv.range(RangeRequest.newBuilder().setKey(bytes("\0")).setRangeEnd(bytes("\0"))
                .setRevision(at)).getKvsList();
        return kvs.stream().map(x -> x.getKey().toStringUtf8() + "=" + x.getValue().toStringUtf8() + " c"
                + x.getCreateRevision() + " m" + x.getModRevision() + " v" + x.getVersion()).toList();
    }
}
