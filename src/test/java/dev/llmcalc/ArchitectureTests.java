package dev.llmcalc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;

/** The layering the project promises: a plain-Java core in a fixed dependency order, HTTP adapters around it. */
@AnalyzeClasses(packages = "dev.llmcalc", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    /**
     * The core's packages from the bottom up (the README's "Layout of the code"): each may use the ones before it,
     * never one after it. {@code core} alone is the root package (the document's formulas).
     */
    static final List<String> CORE_ORDER = List.of("core", "unit", "model", "model.hf", "params", "parallel",
            "hardware", "run", "activation", "memory", "compute", "comms", "plan", "alignment");

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
    static final ArchRule corePackagesFollowTheDependencyOrder = CompositeArchRule.of(layerRules());

    @ArchTest
    static final ArchRule apiResourcesDoNotDependOnEachOther = slices().matching("dev.llmcalc.api.(*)..")
            .should().notDependOnEachOther()
            .because("each resource package maps HTTP to the core on its own; shared request types live in dev.llmcalc.api");

    private static List<ArchRule> layerRules() {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < CORE_ORDER.size() - 1; i++) {
            String[] above = CORE_ORDER.subList(i + 1, CORE_ORDER.size()).stream().map(ArchitectureTests::javaPackage)
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage(javaPackage(CORE_ORDER.get(i)))
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .because(CORE_ORDER.get(i) + " sits below " + String.join(", ", CORE_ORDER.subList(i + 1,
                            CORE_ORDER.size())) + " in the core's dependency order"));
        }
        return rules;
    }

    private static String javaPackage(String corePackage) {
        return corePackage.equals("core") ? "dev.llmcalc.core" : "dev.llmcalc.core." + corePackage;
    }

    /**
     * The same order read from the sources' imports: javac inlines a {@code static final} constant, so a class that
     * reads one from a package above leaves no trace in its bytecode (comms once read compute's default MFU that way).
     */
    @Test
    void coreImportsFollowTheDependencyOrderInTheSources() throws IOException {
        Path core = Path.of("src/main/java/dev/llmcalc/core");
        Pattern imported = Pattern.compile("^import (?:static )?dev\\.llmcalc\\.(core(?:\\.[a-z]+)*)\\.[A-Z]",
                Pattern.MULTILINE);
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(core)) {
            for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
                String own = corePackage(core.relativize(file.getParent()).toString().replace('/', '.'));
                for (Matcher m = imported.matcher(Files.readString(file)); m.find();) {
                    String other = corePackage(m.group(1).equals("core") ? "" : m.group(1).substring("core.".length()));
                    if (CORE_ORDER.indexOf(other) > CORE_ORDER.indexOf(own)) {
                        upward.add(file.getFileName() + " (" + own + ") imports " + m.group(0) + "… (" + other + ")");
                    }
                }
            }
        }
        assertThat(upward).as("imports from a package above in " + CORE_ORDER).isEmpty();
    }

    /** The order's entry for a package under core (a sub-package of one listed counts as it). */
    private static String corePackage(String relative) {
        String name = relative.isEmpty() ? "core" : relative;
        while (!CORE_ORDER.contains(name)) {
            assertThat(name).as("package core." + relative + " is not in the dependency order").contains(".");
            name = name.substring(0, name.lastIndexOf('.'));
        }
        return name;
    }

    /**
     * The API maps HTTP to the core and back: no long, float or double arithmetic (bytes, FLOPs, seconds and ratios are
     * the core's to compute) and no calls to {@code Math}, {@code StrictMath} or {@code Exact}. Int arithmetic is left
     * to it for counting what a request gave.
     */
    @Test
    void theApiLayerHoldsNoArithmetic() throws IOException {
        List<String> found = new ArrayList<>();
        Path classes = Path.of("target/classes/dev/llmcalc/api");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter((f) -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString();
                new ClassReader(Files.readAllBytes(file)).accept(new ArithmeticFinder(name, found), 0);
            }
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
        assertThat(found).as("arithmetic in dev.llmcalc.api").isEmpty();
    }

    /** Reports long/float/double arithmetic instructions and calls into Math, StrictMath and Exact. */
    private static final class ArithmeticFinder extends ClassVisitor {

        private final String className;

        private final List<String> found;

        ArithmeticFinder(String className, List<String> found) {
            super(Opcodes.ASM9);
            this.className = className;
            this.found = found;
        }

        @Override
        public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                String[] exceptions) {
            String where = this.className + " " + method;
            return new MethodVisitor(Opcodes.ASM9) {

                @Override
                public void visitInsn(int opcode) {
                    if (opcode >= Opcodes.IADD && opcode <= Opcodes.DNEG && !isIntArithmetic(opcode)) {
                        ArithmeticFinder.this.found.add(where + ": opcode " + opcode);
                    }
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
                    if (owner.equals("java/lang/Math") || owner.equals("java/lang/StrictMath")
                            || owner.equals("dev/llmcalc/core/unit/Exact")) {
                        ArithmeticFinder.this.found.add(where + ": calls " + owner + "." + name);
                    }
                }
            };
        }

        // IADD, ISUB, IMUL, IDIV, IREM, INEG come every 4 opcodes from IADD (the long, float, double forms follow)
        private static boolean isIntArithmetic(int opcode) {
            return (opcode - Opcodes.IADD) % 4 == 0;
        }
    }
}
