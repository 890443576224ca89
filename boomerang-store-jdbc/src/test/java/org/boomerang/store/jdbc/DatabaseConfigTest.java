package org.boomerang.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.boomerang.common.BoomerangException;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {
    @Test
    void theDefaultIsASqliteFileInTheDataDirectory() {
        DatabaseConfig c = DatabaseConfig.forDataDir(Path.of("/srv/boomerang"));
        assertThat(c.url()).isEqualTo("jdbc:sqlite:/srv/boomerang/control.db");
        assertThat(c.isSqlite()).isTrue();
        assertThat(c.maxPoolSize()).isEqualTo(1);
    }

    @Test
    void postgresUrlsKeepCredentialsOutOfMessages() {
        DatabaseConfig c = DatabaseConfig.url("jdbc:postgresql://db:5432/boomerang?user=u&password=secret").withSchema("t_1");
        assertThat(c.isSqlite()).isFalse();
        assertThat(c.describe()).isEqualTo("jdbc:postgresql://db:5432/boomerang (schema t_1)").doesNotContain("secret");
    }

    @Test
    void otherDatabasesAndBadSchemasAreRefused() {
        assertThat(catchThrowableOfType(BoomerangException.class, () -> DatabaseConfig.url("jdbc:mysql://x/y")).code())
                .isEqualTo(StoreError.DATABASE_CONFIG_INVALID);
        assertThat(catchThrowableOfType(BoomerangException.class,
                () -> DatabaseConfig.url("jdbc:postgresql://x/y").withSchema("x; DROP TABLE jobs")).code())
                .isEqualTo(StoreError.DATABASE_CONFIG_INVALID);
    }
}
