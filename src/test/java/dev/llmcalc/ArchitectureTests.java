package dev.llmcalc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layering the project promises: a plain-Java core, HTTP adapters around it. */
@AnalyzeClasses(packages = "dev.llmcalc", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    @ArchTest
    static final ArchRule coreUsesOnlyTheJdk = classes().that().resideInAPackage("dev.llmcalc.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.llmcalc.core..", "java..")
            .because("the calculation core is plain Java: no Spring, Jakarta, Jackson or I/O libraries");

    @ArchTest
    static final ArchRule coreDoesNoIo = noClasses().that().resideInAPackage("dev.llmcalc.core..")
            .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..")
            .because("calculations read no files and open no connections");

    @ArchTest
    static final ArchRule coreDoesNotKnowTheApi = noClasses().that().resideInAPackage("dev.llmcalc.core..")
            .should().dependOnClassesThat().resideInAPackage("dev.llmcalc.api..");

    @ArchTest
    static final ArchRule corePackagesAreFreeOfCycles = slices().matching("dev.llmcalc.core.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule apiResourcesDoNotDependOnEachOther = slices().matching("dev.llmcalc.api.(*)..")
            .should().notDependOnEachOther()
            .because("each resource package maps HTTP to the core on its own; shared request types live in dev.llmcalc.api");
}
