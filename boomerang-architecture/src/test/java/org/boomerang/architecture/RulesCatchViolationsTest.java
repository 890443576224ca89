package org.boomerang.architecture;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.boomerang.api.archfixture.RouteReferringToTheServer;
import org.boomerang.api.archfixture.RouteReturningARawBody;
import org.boomerang.cli.archfixture.CliReachingIntoApi;
import org.boomerang.cli.archfixture.CliUsingDtos;
import org.boomerang.journal.archfixture.JournalImportingControl;
import org.boomerang.journal.archfixture.JournalSideOfACycle;
import org.boomerang.journal.archfixture.JournalUsingBlockDevice;
import org.boomerang.provider.SpiHoldingAClass;
import org.boomerang.provider.SpiHoldingARecord;
import org.junit.jupiter.api.Test;

/**
 * Each rule broken on purpose by a scratch fixture class must fail, and a fixture that keeps it must
 * pass: the rules can fail, and they fail for the reason they name.
 */
class RulesCatchViolationsTest {
    private static JavaClasses of(Class<?>... fixtures) {
        return new ClassFileImporter().importClasses(fixtures);
    }

    private static void breaks(ArchRule rule, Class<?>... bad) {
        assertThatThrownBy(() -> rule.check(of(bad))).isInstanceOf(AssertionError.class)
                .hasMessageContaining(bad[0].getSimpleName());
    }

    private static void keeps(ArchRule rule, Class<?>... good) {
        assertThatCode(() -> rule.check(of(good))).doesNotThrowAnyException();
    }

    @Test
    void theDataPlaneImportingControlFails() {
        breaks(BoomerangRules.DATA_PLANE_NEVER_IMPORTS_CONTROL, JournalImportingControl.class);
        keeps(BoomerangRules.DATA_PLANE_NEVER_IMPORTS_CONTROL, JournalUsingBlockDevice.class);
    }

    @Test
    void aClassInTheSpiFails() {
        breaks(BoomerangRules.SPI_HOLDS_ONLY_INTERFACES_RECORDS_AND_ERROR_CODES, SpiHoldingAClass.class);
        keeps(BoomerangRules.SPI_HOLDS_ONLY_INTERFACES_RECORDS_AND_ERROR_CODES, SpiHoldingARecord.class);
    }

    @Test
    void theCliReachingPastTheDtosFails() {
        breaks(BoomerangRules.CLI_SEES_ONLY_API_DTO, CliReachingIntoApi.class);
        keeps(BoomerangRules.CLI_SEES_ONLY_API_DTO, CliUsingDtos.class);
    }

    @Test
    void aCycleBetweenModulesFails() {
        breaks(BoomerangRules.NO_MODULE_CYCLES, JournalSideOfACycle.class, org.boomerang.sync.archfixture.SyncSideOfACycle.class);
        keeps(BoomerangRules.NO_MODULE_CYCLES, JournalSideOfACycle.class);
    }

    @Test
    void aRouteReferringToTheServerFails() {
        breaks(BoomerangRules.ROUTES_NEVER_REFER_TO_THE_SERVER, RouteReferringToTheServer.class);
        keeps(BoomerangRules.ROUTES_NEVER_REFER_TO_THE_SERVER, RouteReturningARawBody.class);
    }
}
