package org.boomerang.control.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.RequestId;
import org.boomerang.control.protection.ItemId;
import org.junit.jupiter.api.Test;

/** The text forms of the seam's ids: written by one method, read by one parser, refused when malformed. */
class IdsTest {
    @Test
    void aPairIdIsItsItemAndDirectionAndReadsBackFromItsText() {
        PairId forward = PairId.forward(new ItemId("web"));
        assertThat(forward.text()).isEqualTo("web:forward");
        assertThat(PairId.reverse(new ItemId("web")).text()).isEqualTo("web:reverse");
        assertThat(PairId.parse("web:forward")).isEqualTo(forward);
        assertThat(PairId.parse("web:reverse").direction()).isEqualTo(PairId.Direction.REVERSE);
        assertThat(PairId.parse("a:b:reverse")).as("the direction is after the last colon")
                .isEqualTo(PairId.reverse(new ItemId("a:b")));
    }

    @Test
    void aTextThatIsNotAPairIdIsRefused() {
        for (String bad : new String[] {"web", "web:", ":forward", "web:sideways", "web:FORWARD"}) {
            assertThatThrownBy(() -> PairId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("<item>:forward");
        }
    }

    @Test
    void aRequestIdDerivesItsCompensationAndSecondCallsAndReadsBackFromItsText() {
        JobId job = new JobId("0f3c");
        RequestId run = RequestId.of(job, 2);
        assertThat(run.text()).isEqualTo("0f3c:2");
        assertThat(run.undo().text()).isEqualTo("0f3c:2:undo");
        assertThat(run.part("close").text()).isEqualTo("0f3c:2:close");
        assertThat(run.undo().part("close").text()).isEqualTo("0f3c:2:undo:close");
        for (RequestId id : new RequestId[] {run, run.undo(), run.part("close"), run.undo().part("close")}) {
            assertThat(RequestId.parse(id.text())).isEqualTo(id);
        }
        assertThat(run.undo()).isNotEqualTo(run);
        assertThat(RequestId.parse("0f3c:2")).isEqualTo(new RequestId(job, 2, RequestId.Phase.RUN, Optional.empty()));
    }

    @Test
    void aTextThatIsNotARequestIdIsRefused() {
        for (String bad : new String[] {"job", "job:x", "job:1:undo:close:more", "job:-1", ":1"}) {
            assertThatThrownBy(() -> RequestId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> RequestId.of(new JobId("j"), 0).part("undo")).isInstanceOf(IllegalArgumentException.class);
    }
}
