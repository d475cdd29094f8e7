package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.PutRequest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fsync per write, not two: the Ready that only moves the commit index must not cost an
 * fsync of its own (it did at first, doubling every write's latency; the bench caught it).
 */
class WalSyncPerWriteTest {

    @TempDir
    Path dir;

    @Test
    void sequentialPutsOnASingleMemberCostOneFsyncEach() throws Exception {
        AtomicLong fsyncs = new AtomicLong();
        StoreServer.ServerEvents counting = new StoreServer.ServerEvents() {
            @Override
            public void walFsync(long nanos) {
                fsyncs.incrementAndGet();
            }
        };
        try (InProcessCluster cluster = new InProcessCluster(dir).events(counting).start(1)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(leader));
            kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("warm")).build());
            long before = fsyncs.get();
            int puts = 100;
            for (int i = 0; i < puts; i++) {
                kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k" + i)).build());
            }
            // Each put waits for the one before, so none can share an fsync: exactly one each,
            // give or take a background write (the lease or publish timers) landing meanwhile.
            assertThat(fsyncs.get() - before).isBetween((long) puts, (long) puts + 5);
        }
    }
}
