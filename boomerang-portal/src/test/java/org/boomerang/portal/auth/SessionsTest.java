package org.boomerang.portal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import org.boomerang.api.auth.TokenFile;
import org.boomerang.api.auth.TokenStore;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;
import org.boomerang.portal.PortalError;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
    @TempDir
    Path dir;

    @Test
    void aSessionEndsAfterItsMaximumAgeEvenWhenUsed() {
        TestingClock clock = new TestingClock();
        TokenStore tokens = new TokenStore(new TokenFile(dir), clock);
        String token = tokens.create(Role.OPERATOR, "t").token().text();
        Sessions sessions = new Sessions(tokens, clock, Duration.ofMinutes(30), Duration.ofHours(2));
        Session s = sessions.signIn(token);
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofMinutes(17));
            assertThat(sessions.require(s.id()).role()).isEqualTo(Role.OPERATOR);
        }
        clock.advance(Duration.ofMinutes(2));
        BoomerangException e = catchThrowableOfType(BoomerangException.class, () -> sessions.require(s.id()));
        assertThat(e.code()).isEqualTo(PortalError.PORTAL_SESSION_EXPIRED);
        assertThat(sessions.count()).isZero();
    }

    @Test
    void idsAndCsrfTokensAreRandomAndCsrfIsCompared() {
        TestingClock clock = new TestingClock();
        TokenStore tokens = new TokenStore(new TokenFile(dir), clock);
        String token = tokens.create(Role.READER, "t").token().text();
        Sessions sessions = new Sessions(tokens, clock, Duration.ofMinutes(30), Duration.ofHours(2));
        Session a = sessions.signIn(token);
        Session b = sessions.signIn(token);
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43);
        assertThat(a.csrf()).isNotEqualTo(b.csrf()).isNotEqualTo(a.id());
        assertThat(Sessions.csrfMatches(a, a.csrf())).isTrue();
        assertThat(Sessions.csrfMatches(a, b.csrf())).isFalse();
        assertThat(Sessions.csrfMatches(a, null)).isFalse();
        assertThat(a.toString()).doesNotContain(a.id()).doesNotContain(a.csrf());
        assertThat(catchThrowableOfType(BoomerangException.class, () -> sessions.signIn("bmr_nope")).code())
                .isEqualTo(PortalError.PORTAL_SIGN_IN_REFUSED);
    }
}
