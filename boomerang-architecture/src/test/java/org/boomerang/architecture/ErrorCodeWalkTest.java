package org.boomerang.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.boomerang.api.control.ControlViews;
import org.boomerang.api.dto.ErrorView;
import org.boomerang.cli.RemoteErrorCode;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;
import org.boomerang.control.job.JobError;
import org.junit.jupiter.api.Test;

/**
 * Walks every {@link ErrorCode} enum in the build, found by scanning the classes of every module (not
 * from a list), and checks that each code maps: a category with an HTTP status, a non-zero exit code
 * and a title; and that the category survives the way a failed job takes to the user — stored with
 * the job ({@link JobError}), rendered by the API ({@link ControlViews}), read back by the CLI
 * ({@link RemoteErrorCode}) — so a job failing with an EXTERNAL error exits 8, whichever module's
 * enum the code comes from.
 */
class ErrorCodeWalkTest {
    static List<Class<? extends Enum<?>>> errorCodeEnums() {
        List<Class<? extends Enum<?>>> found = new ArrayList<>();
        for (JavaClass c : ArchitectureTest.production()) {
            if (c.isEnum() && c.isAssignableTo(ErrorCode.class)) {
                @SuppressWarnings("unchecked")
                Class<? extends Enum<?>> e = (Class<? extends Enum<?>>) c.reflect();
                found.add(e);
            }
        }
        return found;
    }

    @Test
    void theScanFindsTheEnumsOfBothPlanes() {
        List<String> names = errorCodeEnums().stream().map(Class::getSimpleName).toList();
        // A sanity check of the scan itself: enums no hand-kept list ever held are among them.
        assertThat(names).contains("WiringError", "JournalError", "SyncError", "NbdError", "BlockDeviceError", "ConfigError");
    }

    @Test
    void everyCodeMapsAndItsCategorySurvivesAFailedJob() {
        Map<ErrorType, Integer> seen = new HashMap<>();
        for (Class<? extends Enum<?>> type : errorCodeEnums()) {
            for (Enum<?> constant : type.getEnumConstants()) {
                ErrorCode code = (ErrorCode) constant;
                String where = type.getName() + "." + constant.name();
                ErrorType category = code.type();
                assertThat(category).as(where + " has a category").isNotNull();
                assertThat(category.httpStatus()).as(where + " HTTP status").isBetween(400, 599);
                assertThat(category.exitCode()).as(where + " exit code").isBetween(1, 125);
                assertThat(category.title()).as(where + " title").isNotBlank();
                assertThat(code.name()).as(where + " code").matches("[A-Z][A-Z0-9_]*");

                JobError stored = JobError.of(new BoomerangException(code, "failed", "do this"));
                ErrorView view = ControlViews.error(stored.code(), stored.category(), stored.message(), stored.hint());
                RemoteErrorCode read = RemoteErrorCode.of(view.code(), view.category());
                assertThat(read.type()).as(where + " category after store, API and CLI").isEqualTo(category);
                assertThat(read.type().exitCode()).as(where + " CLI exit code").isEqualTo(category.exitCode());
                seen.merge(category, 1, Integer::sum);
            }
        }
        assertThat(seen).containsKey(ErrorType.EXTERNAL);
    }
}
