package dev.consensus.store.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransportConfigTest {

    @Test
    void the_defaults_are_etcds_sizes() {
        TransportConfig d = TransportConfig.defaults();
        assertThat(d.queueLength()).isEqualTo(4096);
        assertThat(d.snapshotChunkBytes()).isEqualTo(1 << 20);
        assertThat(d.maxMessageBytes()).isGreaterThan(d.maxBatchBytes());
    }

    @Test
    void limits_that_cannot_work_together_are_refused_with_both_numbers() {
        TransportConfig d = TransportConfig.defaults();
        assertThatThrownBy(() -> d.withBatching(2048, 1024, 10))
                .hasMessage("peer transport config: max message bytes (1024) must be at least max batch bytes (2048)");
        assertThatThrownBy(() -> d.withBatching(1024, 1024, 0))
                .hasMessageContaining("queue length must be positive");
        assertThatThrownBy(() -> d.withBatching(1024, 1024 * 1024, 10).withSnapshotChunkBytes(1024 * 1024))
                .hasMessageContaining("snapshot chunk bytes (1048576) must leave room for framing");
        assertThatThrownBy(() -> d.withReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("max reconnect backoff must be at least the reconnect backoff");
        assertThatThrownBy(() -> d.withReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("reconnect backoff must be positive");
        assertThatThrownBy(() -> d.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("connect timeout must be positive");
        assertThatThrownBy(() -> d.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .hasMessageContaining("send timeout must be positive");
    }

    /**
     * A restarted peer is unreachable from a member for up to one backoff, so the cap stays
     * under etcd's default election timeout (1 s): with 5 s, a restarted member could not get
     * its votes and answers through for seconds, and a member add in the demo timed out.
     */
    @Test
    void theDefaultBackoffCapStaysUnderTheDefaultElectionTimeout() {
        assertThat(TransportConfig.defaults().maxReconnectBackoff()).isLessThan(Duration.ofMillis(1000));
    }
}
