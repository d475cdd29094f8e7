package dev.consensus.faults.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.HistoryRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A learner whose promotion failed under faults is still a learner when the faults are lifted;
 * a learner refuses linearizable reads ("rpc not supported for learner"), so the final reads on
 * it failed the run (mixed seed 9, 300 s: "m4 answered no final read of k/0 within 20 s").
 * {@link Nemesis#finishMembership} promotes it once the cluster is healthy, and the final read on
 * it then answers.
 */
class LeftoverLearnerIT {

    @Test
    void aLearnerLeftByAFailedPromotionIsPromotedBeforeTheFinalReads() throws IOException {
        Path work = Files.createTempDirectory("faults-learner-");
        RunOptions o = RunOptions.of(Scenario.MEMBERSHIP, 1, Duration.ofSeconds(1),
                FaultScenariosIT.out().resolve("leftover-learner"));
        PeerNetwork network = PeerNetwork.create(work, 4, new Random(1));
        try (Cluster cluster = new Cluster(work, network, List.of(), "learner-it",
                StartupArchive.get(FaultScenariosIT.out(), System.out))) {
            cluster.start(3);
            RunContext ctx = new RunContext(cluster, new HistoryRecorder(), o);
            cluster.addLearner(4, cluster.awaitLeader(Duration.ofSeconds(30)));
            cluster.node(4).process.awaitPort(network.memberHost(4), network.clientPort(4), Duration.ofSeconds(60));
            // What the nemesis leaves behind when MemberPromote is refused for its whole 20 s.
            assertThat(cluster.node(4).learner).isTrue();

            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            new Nemesis(ctx, System.nanoTime(), null, problems).finishMembership();

            assertThat(problems).isEmpty();
            assertThat(cluster.node(4).learner).isFalse();
            boolean answered = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!answered && System.nanoTime() < deadline) {
                answered = RegisterClient.read(ctx, "final", 4, "k/0", Call.ReadMode.FINAL, null);
                if (!answered) {
                    NodeProcess.sleep(300); // the promotion is applied on m4 a moment after the leader
                }
            }
            assertThat(answered).as("m4's final read after its promotion").isTrue();
        } finally {
            network.close();
            FaultRun.deleteTree(work);
        }
    }
}
