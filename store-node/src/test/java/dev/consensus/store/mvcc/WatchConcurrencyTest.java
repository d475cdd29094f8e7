package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Watches while another thread applies writes: a live watch and a watch created half-way from a
 * past revision each get every event exactly once, in revision order. Seeded, bounded: each seed
 * applies a fixed number of random puts, deletes and txns; a failure names its seed.
 */
class WatchConcurrencyTest {

    private static final int WRITES = 400;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void every_event_arrives_once_and_in_order_while_writes_go_on(long seed) throws Exception {
        try (MvccFixture kv = MvccFixture.open(dir.resolve("seed-" + seed))) {
            WatchRecorder live = new WatchRecorder();
            WatchRecorder past = new WatchRecorder();
            try (WatchStream liveStream = kv.store().openWatchStream(live);
                    WatchStream pastStream = kv.store().openWatchStream(past)) {
                liveStream.watch(prefix("/c/").build());
                assertThat(live.next().getCreated()).isTrue();

                List<String> expected = Collections.synchronizedList(new ArrayList<>());
                CountDownLatch halfway = new CountDownLatch(1);
                Thread writer = new Thread(() -> write(kv, new Random(seed), expected, halfway), "writer-" + seed);
                writer.start();
                assertThat(halfway.await(30, TimeUnit.SECONDS)).as("seed %d: writer reached half-way", seed).isTrue();
                pastStream.watch(prefix("/c/").setStartRevision(2).build());
                assertThat(past.next().getCreated()).isTrue();
                writer.join(60_000);
                assertThat(writer.isAlive()).as("seed %d: writer finished", seed).isFalse();

                assertThat(collect(live, expected.size())).as("seed %d: live watch", seed).isEqualTo(expected);
                assertThat(collect(past, expected.size())).as("seed %d: watch from revision 2", seed).isEqualTo(expected);
            }
        }
    }

    /** Applies random writes; records the events a watch on /c/ must see, in order. */
    private static void write(MvccFixture kv, Random random, List<String> expected, CountDownLatch halfway) {
        for (int i = 0; i < WRITES; i++) {
            if (i == WRITES / 2) {
                halfway.countDown();
            }
            int choice = random.nextInt(10);
            if (choice < 5) {
                String key = key(random);
                long revision = kv.put(key, "v" + i).getHeader().getRevision();
                expected.add("PUT " + key + "@" + revision);
            } else if (choice < 7) {
                String key = key(random);
                var response = kv.delete(DeleteRangeRequest.newBuilder().setKey(bytes(key)));
                if (response.getDeleted() > 0) {
                    expected.add("DELETE " + key + "@" + response.getHeader().getRevision());
                }
            } else if (choice < 9) {
                List<String> keys = new ArrayList<>(List.of("/c/t" + random.nextInt(5), "/other/x", "/c/u" + i));
                TxnRequest.Builder txn = TxnRequest.newBuilder();
                keys.forEach(k -> txn.addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bytes(k)).setValue(bytes("t")))));
                long revision = kv.txn(txn).getHeader().getRevision();
                expected.add("PUT " + keys.get(0) + "@" + revision);
                expected.add("PUT " + keys.get(2) + "@" + revision);
            } else {
                kv.put("/other/" + i, "x");
            }
        }
        halfway.countDown();
    }

    private static String key(Random random) {
        return "/c/k" + random.nextInt(20);
    }

    private static List<String> collect(WatchRecorder recorder, int count) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < count && seen.size() < count; i++) {
            WatchResponse response = recorder.next();
            response.getEventsList().forEach(e -> seen.add(e.getType() + " " + e.getKv().getKey().toStringUtf8()
                    + "@" + e.getKv().getModRevision()));
        }
        return seen;
    }

    private static WatchCreateRequest.Builder prefix(String prefix) {
        return WatchCreateRequest.newBuilder().setKey(bytes(prefix)).setRangeEnd(bytes("/c0"));
    }
}
