package org.boomerang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.boomerang.api.dto.ErrorView;
import org.boomerang.api.dto.JobKindView;
import org.boomerang.api.dto.JobStateView;
import org.boomerang.api.dto.JobView;
import org.boomerang.common.ErrorType;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
    private static JobView job(String state, int percent, String step, long done, long total, ErrorView error) {
        return new JobView("j1", JobKindView.ITEM_OPERATION, "web", "reprotect of item web", JobStateView.valueOf(state),
                state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED"), percent, step, done, total, error, false,
                null, null, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void theBarFillsWithThePercentAndShowsBytes() {
        assertThat(TerminalProgress.render(job("RUNNING", 0, "", 0, 0, null))).startsWith("[------------------------------]   0%  RUNNING");
        String half = TerminalProgress.render(job("RUNNING", 50, "sync", 512L << 20, 1L << 30, null));
        assertThat(half).startsWith("[###############---------------]  50%  RUNNING  sync  512.0 MiB / 1.0 GiB");
        assertThat(TerminalProgress.render(job("SUCCEEDED", 100, "", 0, 0, null))).startsWith("[##############################] 100%");
        assertThat(TerminalProgress.render(job("WAITING_FOR_OPERATOR", 30, "manual: call the DBA", 0, 0, null)))
                .contains("resume: boomerang jobs resume j1");
    }

    @Test
    void theTerminalDisplayRedrawsInPlaceAndEndsTheLine() {
        StringWriter out = new StringWriter();
        TerminalProgress bar = new TerminalProgress(new PrintWriter(out));
        bar.update(job("RUNNING", 10, "a long step name", 0, 0, null));
        bar.update(job("RUNNING", 20, "b", 0, 0, null));
        bar.finish(job("SUCCEEDED", 100, "", 0, 0, null));
        String text = out.toString();
        assertThat(text).startsWith("\r[###").contains("\r[######");
        assertThat(text.lines().toList().getLast()).isEqualTo("job j1 SUCCEEDED: reprotect of item web");
        String second = text.split("\r")[2];
        assertThat(second.length()).isGreaterThanOrEqualTo(text.split("\r")[1].length());
    }

    @Test
    void plainLinesOnlyWhenSomethingChanged() {
        StringWriter out = new StringWriter();
        PlainProgress plain = new PlainProgress(new PrintWriter(out));
        plain.update(job("RUNNING", 10, "copy", 0, 0, null));
        plain.update(job("RUNNING", 10, "copy", 0, 0, null));
        plain.update(job("RUNNING", 40, "copy", 0, 0, null));
        plain.finish(job("FAILED", 40, "copy", 0, 0, new ErrorView("STEP_FAILED", ErrorType.EXTERNAL, "the process server is away", "")));
        assertThat(out.toString().lines().toList()).containsExactly(
                "job j1 RUNNING 10% copy",
                "job j1 RUNNING 40% copy",
                "job j1 FAILED 40% copy",
                "job j1 FAILED: reprotect of item web — STEP_FAILED: the process server is away");
        assertThat(out.toString()).doesNotContain("\r");
    }
}
