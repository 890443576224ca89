package org.boomerang.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.control.protection.ItemState;
import org.junit.jupiter.api.Test;

/** docs/operations.md names every state, every FB rule's code and every control error code. */
class OperationsDocTest {
    @Test
    void theOperationsPageListsEveryStateAndCode() throws Exception {
        Path doc = Path.of("..", "docs", "operations.md");
        assertThat(doc).as("docs/operations.md beside the modules").exists();
        String text = Files.readString(doc);
        for (ItemState s : ItemState.values()) {
            assertThat(text).contains("`" + s.label() + "` (" + s.id() + ")");
        }
        for (FailbackRule r : FailbackRule.values()) {
            assertThat(text).contains("| FB-" + r.number() + " | `" + r.name() + "` | " + r.type().name() + " |");
        }
        for (ControlError e : ControlError.values()) {
            assertThat(text).contains("`" + e.name() + "`");
        }
    }
}
