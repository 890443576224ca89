package org.boomerang.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    @TempDir
    Path dir;

    @Test
    void goldenFileOfVersion1IsRead() throws Exception {
        String hash = "ab".repeat(32);
        Files.writeString(dir.resolve("api-tokens"), "boomerang-api-tokens 1\n0123456789 operator " + hash + " 1700000000 ci runner\n"
                + "abcdefabcd reader " + hash + " 1700000001 \n");
        List<StoredToken> tokens = new TokenFile(dir).read();
        assertThat(tokens).containsExactly(
                new StoredToken("0123456789", Role.OPERATOR, hash, Instant.ofEpochSecond(1700000000), "ci runner"),
                new StoredToken("abcdefabcd", Role.READER, hash, Instant.ofEpochSecond(1700000001), ""));
    }

    @Test
    void writeThenReadRoundTripsAndTheFileIsPrivate() throws Exception {
        TokenFile file = new TokenFile(dir);
        StoredToken t = new StoredToken("0123456789", Role.ADMIN, "cd".repeat(32), Instant.ofEpochSecond(5), "line\nbreak");
        file.write(List.of(t));
        assertThat(file.read()).containsExactly(new StoredToken("0123456789", Role.ADMIN, "cd".repeat(32), Instant.ofEpochSecond(5), "line break"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(Files.exists(dir.resolve("api-tokens.tmp"))).isFalse();
    }

    @Test
    void aDamagedLineFailsTheWholeReadNamingTheLine() throws Exception {
        Files.writeString(dir.resolve("api-tokens"), "boomerang-api-tokens 1\n0123456789 superuser " + "ab".repeat(32) + " 1 x\n");
        assertThatThrownBy(() -> new TokenFile(dir).read())
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(ApiErrorCode.API_TOKEN_FILE_CORRUPT);
                    assertThat(e.getMessage()).contains("line 2");
                });
        Files.writeString(dir.resolve("api-tokens"), "something else\n");
        assertThatThrownBy(() -> new TokenFile(dir).read()).hasMessageContaining("line 1");
    }

    @Test
    void theStoreKeepsOnlyHashesAndVerifiesInConstantTime() throws Exception {
        TokenStore store = new TokenStore(new TokenFile(dir), Clock.SYSTEM);
        TokenStore.Created created = store.create(Role.OPERATOR, "alice");
        String text = created.token().text();
        String file = Files.readString(dir.resolve("api-tokens"), StandardCharsets.UTF_8);
        assertThat(file).doesNotContain(created.token().secret()).contains(created.token().hash());
        assertThat(store.verify(text)).map(StoredToken::role).hasValue(Role.OPERATOR);
        assertThat(store.verify(text.substring(0, text.length() - 1) + (text.endsWith("A") ? "B" : "A"))).isEmpty();
        assertThat(store.verify("bmr_" + created.token().id() + "_x")).isEmpty();
        assertThat(created.token().toString()).doesNotContain(created.token().secret());
    }

    @Test
    void aTokenCreatedByAnotherProcessIsSeenWithoutRestart() {
        TokenStore server = new TokenStore(new TokenFile(dir), Clock.SYSTEM);
        assertThat(server.list()).isEmpty();
        TokenStore cli = new TokenStore(new TokenFile(dir), Clock.SYSTEM);
        String text = cli.create(Role.READER, "later").token().text();
        assertThat(server.verify(text)).isPresent();
    }
}
