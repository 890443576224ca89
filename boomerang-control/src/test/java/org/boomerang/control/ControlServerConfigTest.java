package org.boomerang.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.boomerang.provider.SiteId;
import org.junit.jupiter.api.Test;

class ControlServerConfigTest {
    @Test
    void defaults() {
        ControlServerConfig c = ControlServerConfig.defaults("node-a", "10.0.0.5:8080", new SiteId("primary"));
        assertThat(c.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.poll()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.agentSilence()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.withExclusive(true).agentSilence()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aNegativeAgentSilenceIsRefused() {
        assertThatThrownBy(() -> new ControlServerConfig("n", "a", new SiteId("s"), Duration.ofSeconds(30), Duration.ofSeconds(2), false,
                Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agentSilence");
    }

    @Test
    void aLeaseShorterThanTwoPollsIsRefused() {
        assertThatThrownBy(() -> new ControlServerConfig("n", "a", new SiteId("s"), Duration.ofSeconds(3), Duration.ofSeconds(2), false, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least twice the poll interval");
        assertThatThrownBy(() -> new ControlServerConfig(" ", "a", new SiteId("s"), Duration.ofSeconds(30), Duration.ofSeconds(2), false, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
