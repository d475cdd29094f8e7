package dev.consensus.store.server;

import static dev.consensus.store.server.JetcdCalls.WAIT_SECONDS;
import static dev.consensus.store.server.JetcdCalls.bs;
import static dev.consensus.store.server.JetcdCalls.clientFor;
import static dev.consensus.store.server.JetcdCalls.failure;
import static dev.consensus.store.server.JetcdCalls.get;
import static dev.consensus.store.server.JetcdCalls.queueing;
import static dev.consensus.store.server.JetcdCalls.str;
import static dev.consensus.store.server.JetcdCalls.take;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.server.InProcessCluster.Node;
import dev.consensus.store.server.JetcdCalls.Seen;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent.EventType;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd, an etcd client we did not write, against a 3-member cluster of our server (in this JVM,
 * real gRPC on loopback), used the way an application uses it. Each test has its own key prefix;
 * the cluster is shared, except by the test that stops the leader.
 */
class JetcdCompatibilityTest {

    @TempDir
    static Path root;

    private static InProcessCluster cluster;
    private static Client client;

    @BeforeAll
    static void startClusterAndClient() throws Exception {
        cluster = new InProcessCluster(root.resolve("cluster")).start(3);
        cluster.awaitLeader();
        client = clientFor(cluster.nodes());
    }

    @AfterAll
    static void stopAll() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Node follower() {
        Node leader = cluster.awaitLeader();
        return cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
    }

    @Test
    void putGetByKeyPrefixRevisionAndSerializableThenDelete() throws Exception {
        KV kv = client.getKVClient();
        long first = get(kv.put(bs("kv/a"), bs("1"))).getHeader().getRevision();
        get(kv.put(bs("kv/b"), bs("2")));
        PutResponse again = get(kv.put(bs("kv/a"), bs("3"), PutOption.builder().withPrevKV().build()));
        assertThat(again.hasPrevKv()).isTrue();
        assertThat(str(again.getPrevKv().getValue())).isEqualTo("1");
        long last = again.getHeader().getRevision();

        KeyValue a = get(kv.get(bs("kv/a"))).getKvs().get(0);
        assertThat(str(a.getValue())).isEqualTo("3");
        assertThat(a.getCreateRevision()).isEqualTo(first);
        assertThat(a.getModRevision()).isEqualTo(last);
        assertThat(a.getVersion()).isEqualTo(2);

        GetResponse prefix = get(kv.get(bs("kv/"), GetOption.builder().isPrefix(true).build()));
        assertThat(prefix.getCount()).isEqualTo(2);
        assertThat(prefix.getKvs()).extracting(kv1 -> str(kv1.getKey())).containsExactly("kv/a", "kv/b");

        GetResponse past = get(kv.get(bs("kv/a"), GetOption.builder().withRevision(first).build()));
        assertThat(past.getKvs()).extracting(kv1 -> str(kv1.getValue())).containsExactly("1");

        // A serializable read is answered by whichever member the client talks to, maybe one that
        // has not applied the last put yet: it may be stale, so wait (bounded) until it is not.
        GetOption serializable = GetOption.builder().isPrefix(true).withSerializable(true).build();
        InProcessCluster.await(() -> getQuietly(kv, bs("kv/"), serializable).getKvs().stream()
                .anyMatch(kv1 -> str(kv1.getValue()).equals("3")), Duration.ofSeconds(WAIT_SECONDS), "a serializable read to see the last put");

        DeleteResponse deleted = get(kv.delete(bs("kv/"), DeleteOption.builder().isPrefix(true).withPrevKV(true).build()));
        assertThat(deleted.getDeleted()).isEqualTo(2);
        assertThat(deleted.getPrevKvs()).extracting(kv1 -> str(kv1.getValue())).containsExactlyInAnyOrder("3", "2");
        assertThat(get(kv.get(bs("kv/"), GetOption.builder().isPrefix(true).build())).getCount()).isZero();
    }

    private static GetResponse getQuietly(KV kv, ByteSequence key, GetOption option) {
        try {
            return get(kv.get(key, option));
        } catch (Exception e) {
            throw new AssertionError("get " + str(key) + " failed", e);
        }
    }

    @Test
    void txnCompareAndSetTakesTheSuccessOrTheFailureBranch() throws Exception {
        KV kv = client.getKVClient();
        ByteSequence key = bs("txn/k");
        long created = get(kv.put(key, bs("v1"))).getHeader().getRevision();

        TxnResponse swapped = get(kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(bs("v1"))), new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(1)))
                .Then(Op.put(key, bs("v2"), PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit());
        assertThat(swapped.isSucceeded()).isTrue();
        assertThat(swapped.getPutResponses()).hasSize(1);
        assertThat(swapped.getGetResponses()).isEmpty();

        TxnResponse refused = get(kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(bs("v1"))))
                .Then(Op.put(key, bs("v3"), PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit());
        assertThat(refused.isSucceeded()).isFalse();
        assertThat(refused.getPutResponses()).isEmpty();
        KeyValue current = refused.getGetResponses().get(0).getKvs().get(0);
        assertThat(str(current.getValue())).isEqualTo("v2");
        assertThat(current.getCreateRevision()).isEqualTo(created);
        assertThat(current.getVersion()).isEqualTo(2);
    }

    @Test
    void readingACompactedRevisionFailsInEtcdsWords() throws Exception {
        KV kv = client.getKVClient();
        long r1 = get(kv.put(bs("compact/k"), bs("v1"))).getHeader().getRevision();
        long r2 = get(kv.put(bs("compact/k"), bs("v2"))).getHeader().getRevision();
        get(kv.put(bs("compact/k"), bs("v3")));

        get(kv.compact(r2));

        Status compacted = failure(kv.get(bs("compact/k"), GetOption.builder().withRevision(r1).build()));
        assertThat(compacted.getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(compacted.getDescription()).isEqualTo("etcdserver: mvcc: required revision has been compacted");
        // The compaction revision itself is kept.
        assertThat(get(kv.get(bs("compact/k"), GetOption.builder().withRevision(r2).build())).getKvs())
                .extracting(kv1 -> str(kv1.getValue())).containsExactly("v2");
    }

    private static Watch.Watcher watch(String key, WatchOption option, BlockingQueue<Seen> seen, List<Throwable> errors) {
        return client.getWatchClient().watch(bs(key), option, Watch.listener(
                response -> response.getEvents().forEach(e -> seen.add(Seen.of(e))), errors::add));
    }

    @Test
    void aPrefixWatchSeesPutsAndDeletesInOrderWithPrevKv() throws Exception {
        KV kv = client.getKVClient();
        // Watching from the next revision, so no put below can slip in before the watch exists.
        long start = get(kv.get(bs("watch/"))).getHeader().getRevision() + 1;
        BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (Watch.Watcher ignored = watch("watch/", WatchOption.builder().isPrefix(true).withPrevKV(true)
                .withRevision(start).build(), seen, errors)) {
            long a1 = get(kv.put(bs("watch/a"), bs("1"))).getHeader().getRevision();
            long b1 = get(kv.put(bs("watch/b"), bs("2"))).getHeader().getRevision();
            get(kv.put(bs("watch-not-under-the-prefix"), bs("x")));
            long a2 = get(kv.put(bs("watch/a"), bs("3"))).getHeader().getRevision();
            long delA = get(kv.delete(bs("watch/a"))).getHeader().getRevision();
            long delB = get(kv.delete(bs("watch/b"))).getHeader().getRevision();

            assertThat(take(seen, 5)).containsExactly(
                    new Seen(EventType.PUT, "watch/a", "1", a1, null),
                    new Seen(EventType.PUT, "watch/b", "2", b1, null),
                    new Seen(EventType.PUT, "watch/a", "3", a2, "1"),
                    new Seen(EventType.DELETE, "watch/a", "", delA, "3"),
                    new Seen(EventType.DELETE, "watch/b", "", delB, "2"));
            assertThat(a1).isEqualTo(start);
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void aWatchFromAPastRevisionReplaysHistoryThenFollowsLiveWrites() throws Exception {
        KV kv = client.getKVClient();
        long r1 = get(kv.put(bs("history/k"), bs("v1"))).getHeader().getRevision();
        long r2 = get(kv.put(bs("history/k"), bs("v2"))).getHeader().getRevision();
        long r3 = get(kv.put(bs("history/k"), bs("v3"))).getHeader().getRevision();
        BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (Watch.Watcher ignored = watch("history/k", WatchOption.builder().withRevision(r1).build(), seen, errors)) {
            assertThat(take(seen, 3)).containsExactly(
                    new Seen(EventType.PUT, "history/k", "v1", r1, null),
                    new Seen(EventType.PUT, "history/k", "v2", r2, null),
                    new Seen(EventType.PUT, "history/k", "v3", r3, null));
            long r4 = get(kv.put(bs("history/k"), bs("v4"))).getHeader().getRevision();
            assertThat(take(seen, 1)).containsExactly(new Seen(EventType.PUT, "history/k", "v4", r4, null));
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void leasesGrantKeepAliveThroughAFollowerTimeToLiveAndRevoke() throws Exception {
        KV kv = client.getKVClient();
        long id = get(client.getLeaseClient().grant(60)).getID();
        get(kv.put(bs("lease/k"), bs("v"), PutOption.builder().withLeaseId(id).build()));
        assertThat(get(kv.get(bs("lease/k"))).getKvs().get(0).getLease()).isEqualTo(id);

        // A client of one follower only: the follower forwards keep-alives to the leader.
        try (Client viaFollower = clientFor(List.of(follower()))) {
            LeaseKeepAliveResponse once = get(viaFollower.getLeaseClient().keepAliveOnce(id));
            assertThat(once.getID()).isEqualTo(id);
            assertThat(once.getTTL()).isGreaterThan(0);

            // A short lease, so that jetcd (which renews at a third of the TTL) sends more than one
            // request on the stream within the bounded wait.
            long shortId = get(viaFollower.getLeaseClient().grant(3)).getID();
            BlockingQueue<LeaseKeepAliveResponse> renewals = new LinkedBlockingQueue<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            try (CloseableClient ignored = viaFollower.getLeaseClient().keepAlive(shortId, queueing(renewals, errors))) {
                assertThat(take(renewals, 2)).allSatisfy(renewal -> {
                    assertThat(renewal.getID()).isEqualTo(shortId);
                    assertThat(renewal.getTTL()).isGreaterThan(0);
                });
            }
            assertThat(errors).isEmpty();
        }

        LeaseTimeToLiveResponse ttl = get(client.getLeaseClient().timeToLive(id, LeaseOption.builder().withAttachedKeys().build()));
        assertThat(ttl.getGrantedTTL()).isEqualTo(60);
        assertThat(ttl.getTTL()).isBetween(1L, 60L);
        assertThat(ttl.getKeys()).extracting(JetcdCalls::str).containsExactly("lease/k");

        get(client.getLeaseClient().revoke(id));
        assertThat(get(kv.get(bs("lease/k"))).getCount()).isZero();
        assertThat(get(client.getLeaseClient().timeToLive(id, LeaseOption.DEFAULT)).getTTL()).isEqualTo(-1);
    }

    @Test
    void listMemberShowsTheThreeStartedMembers() throws Exception {
        List<Member> members = get(client.getClusterClient().listMember()).getMembers();
        Map<Long, Node> byId = cluster.nodes().stream().collect(Collectors.toMap(n -> n.server().memberId(), Function.identity()));
        assertThat(members).hasSize(3);
        for (Member m : members) {
            Node node = byId.get(m.getId());
            assertThat(node).as("member %x", m.getId()).isNotNull();
            // Started: it has published its name and client URLs (an unstarted one has neither).
            assertThat(m.getName()).isEqualTo(node.name());
            assertThat(m.getClientURIs()).containsExactly(node.clientUrl());
            assertThat(m.getPeerURIs()).containsExactly(node.peerUrl());
            assertThat(m.isLearner()).isFalse();
        }
    }

    @Test
    void statusOfEachMemberThenMoveLeaderToAnother() throws Exception {
        assertOneLeaderInEveryStatus();

        Node leader = cluster.awaitLeader();
        Node target = follower();
        // MoveLeader must be asked of the leader, so this client knows only the leader.
        try (Client onLeader = clientFor(List.of(leader))) {
            get(onLeader.getMaintenanceClient().moveLeader(target.server().memberId()));
        }
        InProcessCluster.await(() -> target.server().isLeader(), Duration.ofSeconds(WAIT_SECONDS), "the transferee to lead");
        assertThat(assertOneLeaderInEveryStatus()).isEqualTo(target.server().memberId());
    }

    /** Status of every endpoint until all name the same leader (bounded); returns that leader. */
    private static long assertOneLeaderInEveryStatus() {
        List<StatusResponse> agreed = Awaitility.await("every member to name the same single leader")
                .atMost(Duration.ofSeconds(WAIT_SECONDS)).pollInterval(Duration.ofMillis(50))
                .until(JetcdCompatibilityTest::statusOfEveryMember, statuses ->
                        statuses.stream().filter(s -> s.getLeader() == s.getHeader().getMemberId()).count() == 1
                                && statuses.stream().map(StatusResponse::getLeader).distinct().count() == 1);
        return agreed.get(0).getLeader();
    }

    private static List<StatusResponse> statusOfEveryMember() throws Exception {
        List<StatusResponse> statuses = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            StatusResponse s = get(client.getMaintenanceClient().statusMember(n.clientUrl().toString()));
            assertThat(s.getVersion()).isEqualTo("3.5.17");
            assertThat(s.getHeader().getMemberId()).isEqualTo(n.server().memberId());
            assertThat(s.isLearner()).isFalse();
            statuses.add(s);
        }
        return statuses;
    }

    @Test
    void aPutWithoutAKeyIsRefusedInEtcdsWords() throws Exception {
        Status refused = failure(client.getKVClient().put(ByteSequence.EMPTY, bs("v")));
        assertThat(refused.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getDescription()).isEqualTo("etcdserver: key is not provided");
    }

    @Test
    void theClientKeepsWorkingWhenTheLeaderStops(@TempDir Path dir) throws Exception {
        try (InProcessCluster own = new InProcessCluster(dir).start(3)) {
            Node leader = own.awaitLeader();
            List<Node> leaderFirst = new ArrayList<>(List.of(leader));
            own.nodes().stream().filter(n -> n != leader).forEach(leaderFirst::add);
            // jetcd picks the first endpoint that answers: the leader, whose loss it must then survive.
            try (Client c = clientFor(leaderFirst)) {
                putsSucceedAgainAfterStopping(own, leader, c.getKVClient());
            }
        }
    }

    private static void putsSucceedAgainAfterStopping(InProcessCluster own, Node leader, KV kv) throws Exception {
        get(kv.put(bs("failover/before"), bs("1")));
        own.stop(leader.name());

        // Calls in flight or sent before the client moves to a live member, or before a new
        // leader is elected, may fail; a put must succeed again within the bounded wait.
        List<String> failures = new ArrayList<>();
        Awaitility.await("a put to succeed after the leader stopped").atMost(Duration.ofSeconds(3 * WAIT_SECONDS))
                .pollInterval(Duration.ofMillis(50)).until(() -> tryPut(kv, "failover/after", failures));
        assertThat(own.awaitLeader().name()).isNotEqualTo(leader.name());
        GetResponse both = get(kv.get(bs("failover/"), GetOption.builder().isPrefix(true).build()));
        assertThat(both.getKvs()).extracting(kv1 -> str(kv1.getKey())).containsExactly("failover/after", "failover/before");
    }

    private static boolean tryPut(KV kv, String key, List<String> failures) throws InterruptedException {
        try {
            kv.put(bs(key), bs("1")).get(2, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            failures.add(String.valueOf(e.getCause() == null ? e : e.getCause()));
            return false;
        }
    }
}
