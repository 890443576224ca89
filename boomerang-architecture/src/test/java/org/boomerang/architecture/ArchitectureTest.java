package org.boomerang.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every rule of {@link BoomerangRules} over the main classes of every module. */
class ArchitectureTest {
    private static JavaClasses production;

    /** The production classes of every module on this module's classpath (tests and fixtures excluded), imported once. */
    static synchronized JavaClasses production() {
        if (production == null) {
            production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("org.boomerang");
        }
        return production;
    }

    @TestFactory
    Stream<DynamicTest> everyRuleHolds() {
        JavaClasses classes = production();
        return Arrays.stream(BoomerangRules.all())
                .map(rule -> DynamicTest.dynamicTest(describe(rule), () -> rule.check(classes)));
    }

    private static String describe(ArchRule rule) {
        String d = rule.getDescription();
        return d.length() > 120 ? d.substring(0, 120) + "…" : d;
    }
}
