package org.boomerang.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A parent command's help lists each subcommand with the first line of its description only, so that line
 * must be a whole sentence: a summary cut mid-sentence ("… reports bytes read,") reads as a bug.
 */
class CommandSummariesTest {
    @Test
    void everyCommandsFirstDescriptionLineIsAWholeSentence() {
        List<String> cut = new ArrayList<>();
        walk(CommandLines.create(new BoomerangCommand()), cut);
        assertThat(cut).as("commands whose summary line does not end a sentence").isEmpty();
    }

    private static void walk(CommandLine cli, List<String> cut) {
        String[] description = cli.getCommandSpec().usageMessage().description();
        if (description.length > 0) {
            String first = description[0].strip();
            if (!(first.endsWith(".") || first.endsWith(")") || first.endsWith("!") || first.endsWith("?"))) {
                cut.add(cli.getCommandSpec().qualifiedName() + ": " + first);
            }
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub != cli) {
                walk(sub, cut);
            }
        }
    }
}
