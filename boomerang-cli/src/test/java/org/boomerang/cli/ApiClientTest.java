package org.boomerang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorType;
import org.junit.jupiter.api.Test;

class ApiClientTest {
    private final ApiClient client = new ApiClient(URI.create("http://127.0.0.1:1/"), null);

    @Test
    void anApiErrorKeepsTheServersCodeAndCategoryAndShowsTheAllowedActions() {
        BoomerangException e = client.errorOf(409, "{\"code\":\"ILLEGAL_TRANSITION\",\"category\":\"PRECONDITION\",\"message\":\"cannot commit\","
                + "\"hint\":\"fail over first\",\"state\":\"protected\",\"allowedActions\":[\"planned-failover\",\"disable\"]}");
        assertThat(e.code().name()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(e.type()).isEqualTo(ErrorType.PRECONDITION);
        assertThat(e.type().exitCode()).isEqualTo(5);
        assertThat(e.hint()).isEqualTo("fail over first; state: protected, allowed now: planned-failover, disable");
    }

    @Test
    void somethingElseAnsweringIsABadResponseNotACrash() {
        BoomerangException e = client.errorOf(502, "<html>bad gateway</html>");
        assertThat(e.code()).isEqualTo(CliError.CLI_BAD_RESPONSE);
        BoomerangException future = client.errorOf(409, "{\"code\":\"X\",\"category\":\"FROM_THE_FUTURE\",\"message\":\"m\",\"hint\":\"\"}");
        assertThat(future.code().name()).isEqualTo("X");
        assertThat(future.type()).isEqualTo(ErrorType.INTERNAL);
    }

    @Test
    void tablesAlignColumnsAndShowDashesForEmptyCells() {
        StringWriter out = new StringWriter();
        new Table<List<String>>().column("ID", r -> r.get(0)).column("STATE", r -> r.get(1)).column("NOTE", r -> r.get(2))
                .print(List.of(List.of("web", "protected", ""), List.of("database-1", "failed-over", "x")), new PrintWriter(out));
        assertThat(out.toString().lines().toList()).containsExactly(
                "ID          STATE        NOTE",
                "web         protected    -",
                "database-1  failed-over  x");
    }
}
