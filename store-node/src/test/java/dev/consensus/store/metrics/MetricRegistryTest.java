package dev.consensus.store.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The registry renders what it holds in the text format, and the text parses back to the same values. */
class MetricRegistryTest {

    private final MetricRegistry registry = new MetricRegistry();

    @Test
    void countersAndGaugesParseBackWithTheirHelpTypeAndValue() {
        Counter failed = registry.counter("etcd_server_proposals_failed_total", "Proposals that failed.");
        Gauge pending = registry.gauge("etcd_server_proposals_pending", "Proposals waiting to commit.");
        failed.inc();
        failed.add(2);
        pending.inc();
        pending.inc();
        pending.dec();

        Exposition parsed = Exposition.parse(registry.scrape());

        Exposition.Family family = parsed.family("etcd_server_proposals_failed_total");
        assertThat(family.type()).isEqualTo("counter");
        assertThat(family.help()).isEqualTo("Proposals that failed.");
        assertThat(parsed.value("etcd_server_proposals_failed_total")).isEqualTo(3);
        assertThat(parsed.family("etcd_server_proposals_pending").type()).isEqualTo("gauge");
        assertThat(parsed.value("etcd_server_proposals_pending")).isEqualTo(1);
    }

    @Test
    void theTextIsExactlyTheFormatsLines() {
        registry.gauge("b_gauge", "A gauge.").set(0.25);
        registry.counter("a_total", "A counter.").inc();

        assertThat(registry.scrape()).isEqualTo("""
                # HELP a_total A counter.
                # TYPE a_total counter
                a_total 1
                # HELP b_gauge A gauge.
                # TYPE b_gauge gauge
                b_gauge 0.25
                """);
    }

    @Test
    void sampledGaugesAreReadAtEachScrape() {
        AtomicLong size = new AtomicLong(4096);
        registry.gauge("etcd_mvcc_db_total_size_in_bytes", "Database size.", size::get);

        assertThat(Exposition.parse(registry.scrape()).value("etcd_mvcc_db_total_size_in_bytes")).isEqualTo(4096);
        size.set(8192);
        assertThat(Exposition.parse(registry.scrape()).value("etcd_mvcc_db_total_size_in_bytes")).isEqualTo(8192);
    }

    @Test
    void aFailingSupplierGivesNaNAndTheRestOfTheScrapeStillRenders() {
        registry.gauge("broken", "Fails.", () -> {
            throw new IllegalStateException("closed");
        });
        registry.gauge("fine", "Works.").set(7);

        Exposition parsed = Exposition.parse(registry.scrape());
        assertThat(parsed.value("broken")).isNaN();
        assertThat(parsed.value("fine")).isEqualTo(7);
    }

    @Test
    void constantLabelsAreEscapedAndParseBack() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("server_version", "3.5.0");
        labels.put("odd", "a \"quoted\" back\\slash\nnewline");
        registry.gauge("etcd_server_version", "Which version is running.", labels).set(1);

        Exposition.Family family = Exposition.parse(registry.scrape()).family("etcd_server_version");

        assertThat(family.sample("etcd_server_version", labels).value()).isEqualTo(1);
        assertThat(registry.scrape()).contains("odd=\"a \\\"quoted\\\" back\\\\slash\\nnewline\"");
    }

    @Test
    void helpTextEscapesBackslashAndNewline() {
        registry.counter("c_total", "line one\nline \\ two").inc();

        assertThat(registry.scrape()).startsWith("# HELP c_total line one\\nline \\\\ two\n");
        assertThat(Exposition.parse(registry.scrape()).family("c_total").help()).isEqualTo("line one\nline \\ two");
    }

    @Test
    void seriesOfOneNameShareOneHeader() {
        registry.gauge("etcd_server_id", "Member ID.", Map.of("server_id", "a")).set(1);
        registry.gauge("etcd_server_id", "Member ID.", Map.of("server_id", "b")).set(0);

        Exposition.Family family = Exposition.parse(registry.scrape()).family("etcd_server_id");

        assertThat(family.samples()).hasSize(2);
        assertThat(registry.scrape().lines().filter(l -> l.startsWith("# TYPE"))).hasSize(1);
    }

    @Test
    void familiesAreSortedByName() {
        registry.gauge("zeta", "z").set(1);
        registry.gauge("alpha", "a").set(1);
        registry.counter("mid_total", "m").inc();

        assertThat(Exposition.parse(registry.scrape()).families().keySet()).containsExactly("alpha", "mid_total", "zeta");
    }

    @Test
    void clashesAreRefusedAtRegistration() {
        registry.gauge("g", "help");
        assertThatThrownBy(() -> registry.gauge("g", "help"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> registry.counter("g", "help"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered as a gauge");
        assertThatThrownBy(() -> registry.gauge("g", "other help", Map.of("l", "v")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badNamesAreRefused() {
        assertThatThrownBy(() -> registry.gauge("1abc", "h")).hasMessageContaining("invalid metric name");
        assertThatThrownBy(() -> registry.gauge("a-b", "h")).hasMessageContaining("invalid metric name");
        assertThatThrownBy(() -> registry.gauge("ok", "h", Map.of("bad-label", "v")))
                .hasMessageContaining("invalid label name");
        assertThatThrownBy(() -> registry.gauge("ok", "h", Map.of("__reserved", "v")))
                .hasMessageContaining("invalid label name");
        assertThatThrownBy(() -> registry.histogram("h", "h", Map.of("le", "1"), new double[] {1}))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> registry.gauge("ok", " ")).hasMessageContaining("help");
    }

    @Test
    void aCounterDoesNotGoDown() {
        Counter counter = registry.counter("c_total", "h");
        assertThatThrownBy(() -> counter.add(-1)).hasMessageContaining("only goes up");
        assertThatThrownBy(() -> counter.add(Double.NaN)).hasMessageContaining("only goes up");
        assertThat(counter.value()).isZero();
    }

    @Test
    void numbersAreWrittenSoTheyReadBackExactly() {
        assertThat(TextFormat.formatNumber(3)).isEqualTo("3");
        assertThat(TextFormat.formatNumber(-0.0)).isEqualTo("0");
        assertThat(TextFormat.formatNumber(1.5e18)).isEqualTo("1.5E18");
        assertThat(TextFormat.formatNumber(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(TextFormat.formatNumber(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(TextFormat.formatNumber(Double.NaN)).isEqualTo("NaN");
        for (double v : List.of(0.1, 1e-7, 123456.789, 2.0 / 3, Long.MAX_VALUE / 3.0)) {
            assertThat(Double.parseDouble(TextFormat.formatNumber(v))).isEqualTo(v);
        }
    }
}
