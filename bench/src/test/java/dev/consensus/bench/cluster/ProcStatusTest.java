package dev.consensus.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void readsTheVmRssLine() {
        String status = "Name:\tetcd\nVmPeak:\t  900000 kB\nVmRSS:\t   51234 kB\nRssAnon:\t   40000 kB\n";
        assertThat(ProcStatus.parseVmRss(status)).isEqualTo(OptionalLong.of(51234));
    }

    @Test
    void aProcessWithoutMemoryHasNoFigure() {
        assertThat(ProcStatus.parseVmRss("Name:\tzombie\nState:\tZ (zombie)\n")).isEmpty();
    }

    @Test
    void thisJvmHasResidentMemory() {
        OptionalLong rss = ProcStatus.vmRssKib(ProcessHandle.current().pid());
        assertThat(rss).isPresent();
        assertThat(rss.getAsLong()).isPositive();
    }
}
