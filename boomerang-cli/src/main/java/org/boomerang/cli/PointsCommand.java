package org.boomerang.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import org.boomerang.api.dto.PointView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code boomerang points list ITEM}: the recovery points of a protected item. */
@Command(name = "points", mixinStandardHelpOptions = true, description = "Recovery points of protected items.",
        subcommands = picocli.CommandLine.HelpCommand.class)
public final class PointsCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the recovery points of an item, newest last.")
    void list(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String item) {
        ApiClient client = options.client();
        List<PointView> points = client.get(ItemsCommand.item(item) + "/points", new TypeReference<List<PointView>>() {});
        new Printer(options.output(), spec.commandLine().getOut(), client.json()).list(points, Views.points());
    }
}
