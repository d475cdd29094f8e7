package dev.consensus.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists every flag with its variable and default, so it cannot fall behind. */
class ConfigurationDocTest {

    @Test
    void theTableHasARowForEveryFlag() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (FlagDefinition flag : EtcdFlags.ALL) {
            String defaultCell = flag.defaultValue().isEmpty() ? "(none)" : "`" + flag.defaultValue() + "`";
            assertThat(doc).as(flag.option())
                    .contains("| `" + flag.option() + "` | `" + flag.envVariable() + "` | " + defaultCell + " |");
        }
    }
}
