package org.boomerang.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.boomerang.common.ErrorCode;

/**
 * STYLE.md's module boundaries as ArchUnit rules, over packages (one root package per module):
 *
 * <pre>
 * data plane:    common &lt;- blockdev &lt;- {nbd, journal, stream, sync} &lt;- dataplane
 * control plane: common &lt;- provider (SPI) &lt;- control &lt;- {store, api} &lt;- server
 *                api.dto is what api and cli share; cli sees nothing else of api
 * </pre>
 *
 * Modules that do not exist yet (stream, provider.lab, portal) are named already, so the rules hold
 * from the day they land. {@code server} is the one place that sees both planes.
 */
final class BoomerangRules {
    static final String[] DATA_PLANE = {
        "org.boomerang.blockdev..", "org.boomerang.nbd..", "org.boomerang.journal..", "org.boomerang.stream..",
        "org.boomerang.sync..", "org.boomerang.dataplane.."};
    static final String[] CONTROL_PLANE = {
        "org.boomerang.provider..", "org.boomerang.control..", "org.boomerang.store..", "org.boomerang.api..",
        "org.boomerang.cli..", "org.boomerang.portal..", "org.boomerang.server.."};

    private BoomerangRules() {}

    /** SPEC §2: the data plane runs without the control plane and never imports it. */
    static final ArchRule DATA_PLANE_NEVER_IMPORTS_CONTROL = noClasses().that().resideInAnyPackage(DATA_PLANE)
            .should().dependOnClassesThat().resideInAnyPackage(CONTROL_PLANE)
            .because("the data plane never depends on the control plane (SPEC §2, STYLE.md §2)");

    /** The bottom of the data-plane chain: a block device knows nothing of protocols, journals or syncs. */
    static final ArchRule BLOCKDEV_IS_THE_BASE = noClasses().that().resideInAPackage("org.boomerang.blockdev..")
            .should().dependOnClassesThat().resideInAnyPackage("org.boomerang.nbd..", "org.boomerang.journal..",
                    "org.boomerang.stream..", "org.boomerang.sync..", "org.boomerang.dataplane..")
            .because("common <- blockdev <- {nbd, journal, stream, sync} <- dataplane (STYLE.md §2)");

    /** The libraries of the data plane stand side by side: only dataplane (and server) wire them together. */
    static final ArchRule DATA_PLANE_LIBRARIES_STAND_APART = CompositeArchRule.of(libraryStandsApart("nbd"))
            .and(libraryStandsApart("journal")).and(libraryStandsApart("stream")).and(libraryStandsApart("sync"));

    private static ArchRule libraryStandsApart(String module) {
        java.util.List<String> others = new java.util.ArrayList<>();
        for (String m : new String[] {"nbd", "journal", "stream", "sync", "dataplane"}) {
            if (!m.equals(module)) {
                others.add("org.boomerang." + m + "..");
            }
        }
        return noClasses().that().resideInAPackage("org.boomerang." + module + "..")
                .should().dependOnClassesThat().resideInAnyPackage(others.toArray(String[]::new))
                .because("nbd, journal, stream and sync meet only in dataplane or server (STYLE.md §2);"
                        + " sync sees disks only as BlockDevices");
    }

    /** The control-plane chain: the SPI sees only common; control sees only the SPI. */
    static final ArchRule SPI_SEES_ONLY_COMMON = noClasses().that().resideInAPackage("org.boomerang.provider")
            .should().dependOnClassesThat().resideInAnyPackage(DATA_PLANE)
            .orShould().dependOnClassesThat().resideInAnyPackage("org.boomerang.provider.lab..", "org.boomerang.control..",
                    "org.boomerang.store..", "org.boomerang.api..", "org.boomerang.cli..", "org.boomerang.portal..", "org.boomerang.server..")
            .because("common <- provider-spi <- control (STYLE.md §2)");

    static final ArchRule CONTROL_SEES_NO_ADAPTERS = noClasses().that().resideInAPackage("org.boomerang.control..")
            .should().dependOnClassesThat().resideInAnyPackage("org.boomerang.store..", "org.boomerang.api..", "org.boomerang.cli..",
                    "org.boomerang.portal..", "org.boomerang.server..", "org.boomerang.provider.lab..")
            .because("control <- {store-jdbc, api} <- server: control holds the domain and the store interfaces only");

    static final ArchRule STORE_AND_API_STAND_APART = noClasses().that().resideInAPackage("org.boomerang.store..")
            .should().dependOnClassesThat().resideInAnyPackage("org.boomerang.api..", "org.boomerang.cli..", "org.boomerang.server..")
            .because("store-jdbc and api meet only in server");

    /** Trino's SPI rule: plugins compile against interfaces, records and error codes. */
    static final ArchRule SPI_HOLDS_ONLY_INTERFACES_RECORDS_AND_ERROR_CODES = classes()
            .that().resideInAPackage("org.boomerang.provider")
            .and().areTopLevelClasses()
            .should(beInterfaceRecordOrEnum())
            .because("SPIs hold only interfaces, records and error codes (STYLE.md rule 1, trino-spi)");

    /** The CLI talks to the server over HTTP: it shares the DTOs and nothing else of the API. */
    static final ArchRule CLI_SEES_ONLY_API_DTO = noClasses().that().resideInAPackage("org.boomerang.cli..")
            .should().dependOnClassesThat(resideInApiButNotDto())
            .orShould().dependOnClassesThat().resideInAnyPackage("org.boomerang.control..", "org.boomerang.store..",
                    "org.boomerang.server..", "org.boomerang.provider..")
            .because("api and cli share only api-dto (STYLE.md §2)");

    static final ArchRule API_SEES_NO_CLI = noClasses().that().resideInAPackage("org.boomerang.api..")
            .should().dependOnClassesThat().resideInAnyPackage("org.boomerang.cli..", "org.boomerang.server..")
            .because("api and cli share only api-dto (STYLE.md §2)");

    static final ArchRule DTOS_SEE_ONLY_COMMON = noClasses().that().resideInAPackage("org.boomerang.api.dto..")
            .should().dependOnClassesThat(resideInApiButNotDto())
            .orShould().dependOnClassesThat().resideInAnyPackage(DATA_PLANE)
            .orShould().dependOnClassesThat().resideInAnyPackage("org.boomerang.provider..", "org.boomerang.control..",
                    "org.boomerang.store..", "org.boomerang.cli..", "org.boomerang.portal..", "org.boomerang.server..")
            .because("the DTOs are the wire contract the CLI and the portal compile against");

    /** No cycles between modules. (Packages inside a module may still refer to each other: see docs/architecture.md.) */
    static final ArchRule NO_MODULE_CYCLES = slices().matching("org.boomerang.(*)..").should().beFreeOfCycles();

    /** Route groups are mounted by {@code ApiServer}; they never refer back to it (what they return is {@code RawBody}). */
    static final ArchRule ROUTES_NEVER_REFER_TO_THE_SERVER = noClasses().that().resideInAPackage("org.boomerang.api.(*)..")
            .should().dependOnClassesThat().haveFullyQualifiedName("org.boomerang.api.ApiServer")
            .because("ApiServer mounts the route groups: a route referring back to it makes an import cycle");

    static ArchRule[] all() {
        return new ArchRule[] {DATA_PLANE_NEVER_IMPORTS_CONTROL, BLOCKDEV_IS_THE_BASE, DATA_PLANE_LIBRARIES_STAND_APART,
            SPI_SEES_ONLY_COMMON, CONTROL_SEES_NO_ADAPTERS, STORE_AND_API_STAND_APART, SPI_HOLDS_ONLY_INTERFACES_RECORDS_AND_ERROR_CODES,
            CLI_SEES_ONLY_API_DTO, API_SEES_NO_CLI, DTOS_SEE_ONLY_COMMON, NO_MODULE_CYCLES, ROUTES_NEVER_REFER_TO_THE_SERVER};
    }

    private static DescribedPredicate<JavaClass> resideInApiButNotDto() {
        return DescribedPredicate.describe("reside in api outside api.dto",
                c -> c.getPackageName().startsWith("org.boomerang.api") && !c.getPackageName().startsWith("org.boomerang.api.dto"));
    }

    private static ArchCondition<JavaClass> beInterfaceRecordOrEnum() {
        return new ArchCondition<>("be an interface, a record or an enum (error codes and states)") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                boolean ok = c.isInterface() || c.isRecord() || c.isEnum() || c.isAnnotation();
                if (c.isEnum() && c.getModifiers().contains(JavaModifier.ABSTRACT)) {
                    ok = false;
                }
                if (!ok) {
                    events.add(SimpleConditionEvent.violated(c, c.getName() + " is a class: an SPI holds interfaces, records and enums"
                            + " (an error code is an enum implementing " + ErrorCode.class.getSimpleName() + ")"));
                }
            }
        };
    }
}
