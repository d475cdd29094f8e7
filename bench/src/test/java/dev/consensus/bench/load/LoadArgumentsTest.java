package dev.consensus.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadArgumentsTest {

    @Test
    void defaults() {
        LoadSpec spec = LoadMain.parse("put");
        assertThat(spec.workload()).isEqualTo(Workload.PUT);
        assertThat(spec.endpoints()).containsExactly(new Endpoint("127.0.0.1", 2379));
        assertThat(spec.clients()).isEqualTo(1);
        assertThat(spec.conns()).isEqualTo(1);
        assertThat(spec.total()).isZero();
        assertThat(spec.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.warmup()).isZero();
        assertThat(spec.valueSize()).isEqualTo(256);
        assertThat(spec.keySpace()).isEqualTo(10_000);
        assertThat(spec.keyPrefix()).isEqualTo("bench/");
        assertThat(spec.consistency()).isEqualTo(Consistency.LINEARIZABLE);
        assertThat(spec.watchers()).isEqualTo(16);
        assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everyFlag() {
        LoadSpec spec = LoadMain.parse("range", "--endpoints", "http://127.0.0.1:1,127.0.0.2:2,localhost:3",
                "--clients", "64", "--conns", "8", "--total", "5000", "--duration", "1m30s", "--warmup", "500ms",
                "--value-size", "1024", "--key-space", "7", "--key-prefix", "x/", "--consistency", "s",
                "--watchers", "3", "--timeout", "2s");
        assertThat(spec.workload()).isEqualTo(Workload.RANGE);
        assertThat(spec.endpoints()).containsExactly(new Endpoint("127.0.0.1", 1), new Endpoint("127.0.0.2", 2),
                new Endpoint("localhost", 3));
        assertThat(spec.clients()).isEqualTo(64);
        assertThat(spec.conns()).isEqualTo(8);
        assertThat(spec.total()).isEqualTo(5000);
        assertThat(spec.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(spec.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(spec.valueSize()).isEqualTo(1024);
        assertThat(spec.keySpace()).isEqualTo(7);
        assertThat(spec.keyPrefix()).isEqualTo("x/");
        assertThat(spec.consistency()).isEqualTo(Consistency.SERIALIZABLE);
        assertThat(spec.watchers()).isEqualTo(3);
        assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void connectionsDefaultToOnePerEndpoint() {
        assertThat(LoadMain.parse("put", "--endpoints", "a:1,b:2,c:3").conns()).isEqualTo(3);
    }

    @Test
    void aTotalAloneRunsWithoutATimeLimit() {
        LoadSpec spec = LoadMain.parse("txn-cas", "--total", "100");
        assertThat(spec.total()).isEqualTo(100);
        assertThat(spec.duration()).isZero();
    }

    @Test
    void everyWorkloadHasItsName() {
        assertThat(List.of("put", "range", "txn-cas", "watch-latency")).map(name -> LoadMain.parse(name).workload())
                .containsExactly(Workload.PUT, Workload.RANGE, Workload.TXN_CAS, Workload.WATCH_LATENCY);
    }

    @Test
    void badValuesAreRefusedSayingWhich() {
        assertRefused("unknown workload 'get' (expected one of put, range, txn-cas, watch-latency)", "get");
        assertRefused("--clients must be at least 1, got 0", "put", "--clients", "0");
        assertRefused("--conns must be at least 1, got 0", "put", "--conns", "0");
        assertRefused("--key-space must be at least 1, got 0", "put", "--key-space", "0");
        assertRefused("--value-size must be at least 0, got -1", "put", "--value-size", "-1");
        assertRefused("--watchers must be at least 1, got 0", "watch-latency", "--watchers", "0");
        assertRefused("unknown consistency 'x' (expected l for linearizable or s for serializable)",
                "range", "--consistency", "x");
        assertRefused("give --total or --duration (or both: whichever comes first ends the run)",
                "put", "--duration", "0");
        assertRefused("invalid duration '10' (expected e.g. 500ms, 3s, 2m, 1m30s)", "put", "--duration", "10");
        assertRefused("--timeout must be positive, got 0ms", "put", "--timeout", "0");
        assertRefused("endpoint https://127.0.0.1:2379: TLS is not supported by the load generator",
                "put", "--endpoints", "https://127.0.0.1:2379");
        assertRefused("endpoint 127.0.0.1: expected host:port", "put", "--endpoints", "127.0.0.1");
        assertRefused("endpoint port 70000 is outside 1-65535", "put", "--endpoints", "127.0.0.1:70000");
    }

    @Test
    void durationsAreWrittenAsEtcdsToolsWriteThem() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h1m1s")).isEqualTo(Duration.ofSeconds(3661));
        assertThat(Durations.parse("0")).isZero();
        for (String bad : List.of("", "s", "3x", "3s4", "ms3", "-1s")) {
            assertThatThrownBy(() -> Durations.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid duration");
        }
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.500s");
    }

    @Test
    void theCommandExitsTwoOnBadArgumentsAndSaysWhy() {
        Output output = new Output();
        int status = LoadMain.run(new String[] {"put", "--clients", "0"}, output.out, output.err);
        assertThat(status).isEqualTo(2);
        assertThat(output.err()).contains("load: --clients must be at least 1, got 0").contains("load --help");
        assertThat(output.out()).isEmpty();
    }

    @Test
    void picocliRefusalsAlsoExitTwo() {
        Output output = new Output();
        assertThat(LoadMain.run(new String[] {"put", "--clients", "many"}, output.out, output.err)).isEqualTo(2);
        assertThat(output.err()).contains("--clients");
        assertThat(LoadMain.run(new String[] {"put", "--bogus"}, output.out, output.err)).isEqualTo(2);
        assertThat(output.err()).contains("--bogus");
    }

    @Test
    void helpListsEveryFlag() {
        Output output = new Output();
        assertThat(LoadMain.run(new String[] {"--help"}, output.out, output.err)).isZero();
        assertThat(output.out()).contains("--endpoints", "--clients", "--conns", "--total", "--duration", "--warmup",
                "--value-size", "--key-space", "--consistency", "--watchers", "--timeout", "--json");
    }

    private static void assertRefused(String message, String... args) {
        assertThatThrownBy(() -> LoadMain.parse(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    /** Captured stdout and stderr of one command. */
    static final class Output {
        private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        String out() {
            return outBytes.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }
}
