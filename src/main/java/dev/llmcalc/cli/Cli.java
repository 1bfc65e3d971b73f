package dev.llmcalc.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.api.JsonReadErrors;
import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.ResolvedModel;
import dev.llmcalc.api.UnknownPresetException;
import dev.llmcalc.api.WholeNumbers;
import dev.llmcalc.api.alignment.Aligning;
import dev.llmcalc.api.alignment.AlignmentRequest;
import dev.llmcalc.api.alignment.AlignmentResponse;
import dev.llmcalc.api.plans.CheckRequest;
import dev.llmcalc.api.plans.CheckResponse;
import dev.llmcalc.api.plans.ComparisonView;
import dev.llmcalc.api.plans.PlanRequest;
import dev.llmcalc.api.plans.PlanResponse;
import dev.llmcalc.api.plans.Planning;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.hf.ImportedModel;
import dev.llmcalc.core.params.ParameterCount;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.plan.CapacityCheck.Violation;
import dev.llmcalc.core.unit.InvalidInputException;
import dev.llmcalc.core.unit.OverflowException;

/**
 * The command line for CI, in the same jar, without starting Spring: {@code check PLAN.json} (exit 0 pass,
 * 1 fail, 2 invalid input), {@code plan REQUEST.json} and {@code params --preset ID | [--approximate] CONFIG.json}. The files are
 * the bodies of {@code POST /api/v1/checks} and {@code /api/v1/plans}; the same code answers both.
 */
public final class Cli {

    public static final int PASS = 0;

    public static final int FAIL = 1;

    public static final int INVALID = 2;

    private static final String USAGE = """
            usage: llmcalc check PLAN.json [--json]      exit 0 when the plan meets its requirements, 1 when not, 2 on bad input
                   llmcalc plan REQUEST.json [--json]    the best parallel layouts for a model on a cluster
                   llmcalc align RUN.json [--json]       exit 0 when an alignment step fits its GPU and requirements, 1 when
                                                         not, 2 on bad input
                   llmcalc params --preset ID | [--approximate] CONFIG.json
                                                         exact parameter count of a preset or a Hugging Face config.json
                                                         (--approximate: count an unknown model_type, with warnings)
            PLAN.json, REQUEST.json and RUN.json are the bodies of POST /api/v1/checks, /api/v1/plans and
            /api/v1/alignment.""";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new WholeNumbers())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private Cli() {
    }

    public static void main(String[] args) {
        quietLibraryLogging();
        System.exit(run(args, System.out, System.err));
    }

    /** Without Spring, Logback would print libraries' INFO lines (Hibernate Validator's version) into CI logs. */
    private static void quietLibraryLogging() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.WARN);
        }
    }

    /** Runs a command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean json = arguments.remove("--json");
        if (arguments.isEmpty()) {
            err.println(USAGE);
            return INVALID;
        }
        try {
            return switch (arguments.get(0)) {
                case "check" -> check(file(arguments), json, out);
                case "plan" -> plan(file(arguments), json, out);
                case "align" -> align(file(arguments), json, out);
                case "params" -> params(arguments, out);
                case "help", "--help", "-h" -> {
                    out.println(USAGE);
                    yield PASS;
                }
                default -> throw new Invalid("unknown command '" + arguments.get(0) + "'\n" + USAGE);
            };
        }
        catch (Invalid ex) {
            err.println("invalid input: " + ex.getMessage());
        }
        catch (BadRequestException ex) {
            err.println("invalid input: '" + ex.field() + "' " + ex.getMessage());
        }
        catch (InvalidInputException | OverflowException | UnknownPresetException ex) {
            err.println("invalid input: " + ex.getMessage());
        }
        catch (JacksonException ex) {
            // the same words as the API's 400: the JSON path and what is wrong there, never a Java class name
            err.println("invalid input: '" + JsonReadErrors.fieldOf(ex) + "' " + JsonReadErrors.messageOf(ex));
        }
        return INVALID;
    }

    private static int check(Path file, boolean json, PrintStream out) {
        CheckResponse response = Planning.check(read(file, CheckRequest.class));
        if (json) {
            out.println(JSON.writeValueAsString(response));
            return response.pass() ? PASS : FAIL;
        }
        CheckResponse.Estimate e = response.estimate();
        out.printf(Locale.ROOT, "%s: %s on %d × %s, %.1f GiB of %.1f GiB per GPU (%.1f %%), step %.3f s, MFU %.3f%n",
                response.pass() ? "PASS" : "FAIL", e.model(), e.parallelism().data() * e.parallelism().tensor()
                        * e.parallelism().pipeline() * e.parallelism().context(), e.gpu(), e.perGpuBytes() / GIB,
                e.gpuMemoryBytes() / GIB, 100.0 * e.memoryFraction(), e.step().totalSeconds(), e.mfu());
        if (e.trainingDays() != null) {
            out.printf(Locale.ROOT, "training days for the token budget: %.2f%n", e.trainingDays());
        }
        for (Violation v : response.violations()) {
            out.printf(Locale.ROOT, "  violated %s: limit %s, actual %s%n", v.requirement(), number(v.limit()),
                    number(v.actual()));
        }
        return response.pass() ? PASS : FAIL;
    }

    private static int align(Path file, boolean json, PrintStream out) {
        AlignmentRequest request = read(file, AlignmentRequest.class);
        if (request.gpu() == null) {
            throw new Invalid("'gpu' is required: align decides whether the step fits a GPU");
        }
        AlignmentResponse response = Aligning.align(request);
        boolean pass = Boolean.TRUE.equals(response.pass());
        if (json) {
            out.println(JSON.writeValueAsString(response));
            return pass ? PASS : FAIL;
        }
        out.printf(Locale.ROOT, "%s: %s %s, model states %.1f GiB, peak %.1f GiB (%s) of %.1f GiB per GPU%s%n",
                pass ? "PASS" : "FAIL", response.algorithm(), response.model(), response.modelStatesBytes() / GIB,
                response.peak().bytes() / GIB, response.peak().phase().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                response.gpuMemoryBytes() / GIB, response.stepSeconds() != null
                        ? String.format(Locale.ROOT, ", step %.1f s", response.stepSeconds()) : "");
        for (AlignmentResponse.RoleView role : response.roles()) {
            out.printf(Locale.ROOT, "  %-9s %s %.1f GiB%n", role.role(), role.trained() ? "trained" : "frozen ",
                    role.bytesPerGpu() / GIB);
        }
        for (Violation v : response.violations()) {
            out.printf(Locale.ROOT, "  violated %s: limit %s, actual %s%n", v.requirement(), number(v.limit()),
                    number(v.actual()));
        }
        return pass ? PASS : FAIL;
    }

    private static int plan(Path file, boolean json, PrintStream out) {
        PlanResponse response = Planning.plan(read(file, PlanRequest.class));
        if (json) {
            out.println(JSON.writeValueAsString(response));
            return PASS;
        }
        if (response.comparison() != null) {
            return comparison(response, out);
        }
        out.printf(Locale.ROOT, "%s on %d × %s: %d layouts evaluated, %d fit%n", response.model(), response.gpuCount(),
                response.gpu(), response.evaluated(), response.fitting());
        int rank = 1;
        for (PlanResponse.PlanView plan : response.plans()) {
            out.printf(Locale.ROOT, "%2d. d=%d t=%d p=%d c=%d e=%d ZeRO-%d %s micro-batch %d: %.1f GiB, step %.3f s, MFU %.3f%n",
                    rank++, plan.parallelism().data(), plan.parallelism().tensor(), plan.parallelism().pipeline(),
                    plan.parallelism().context(), plan.parallelism().expert(), plan.zeroStage(), plan.recomputation(),
                    plan.microBatchSize(), plan.perGpuGiB(), plan.step().totalSeconds(), plan.mfu());
        }
        response.rejected().forEach((reason, count) -> out.printf(Locale.ROOT, "   rejected %d: %s%n", count, reason));
        return PASS;
    }

    private static int comparison(PlanResponse response, PrintStream out) {
        ComparisonView comparison = response.comparison();
        out.printf(Locale.ROOT, "%s for %d tokens: %d options, %d layouts evaluated%n", response.model(),
                comparison.tokens(), comparison.options().size(), response.evaluated());
        for (ComparisonView.Option option : comparison.options()) {
            if (!option.fits()) {
                out.printf(Locale.ROOT, "%2d. %d × %s: nothing fits%n", option.option(), option.gpuCount(), option.gpu());
                continue;
            }
            PlanResponse.PlanView plan = option.plan();
            out.printf(Locale.ROOT, "%2d. %d × %s: d=%d t=%d p=%d c=%d ZeRO-%d %s, step %.3f s, %.1f days, %.0f GPU-hours%s%s%n",
                    option.option(), option.gpuCount(), option.gpu(), plan.parallelism().data(),
                    plan.parallelism().tensor(), plan.parallelism().pipeline(), plan.parallelism().context(),
                    plan.zeroStage(), plan.recomputation(), option.stepSeconds(), option.trainingDays(),
                    option.gpuHours(), option.cost() != null ? String.format(Locale.ROOT, ", cost %.0f", option.cost()) : "",
                    option.energy() != null && option.energy().energyKwh() != null
                            ? String.format(Locale.ROOT, ", %.0f kWh", option.energy().energyKwh()) : "");
        }
        printChoice(out, "cheapest", comparison.cheapest());
        printChoice(out, "fastest", comparison.fastest());
        printChoice(out, "cheapest within " + comparison.maxTrainingDays() + " days",
                comparison.cheapestWithinMaxTrainingDays());
        return PASS;
    }

    private static void printChoice(PrintStream out, String what, ComparisonView.Choice choice) {
        if (choice != null) {
            out.printf(Locale.ROOT, "%s: option %d, %d × %s, %.1f days%s%n", what, choice.option(), choice.gpuCount(),
                    choice.gpu(), choice.trainingDays(),
                    choice.cost() != null ? String.format(Locale.ROOT, ", cost %.0f", choice.cost()) : "");
        }
    }

    private static int params(List<String> arguments, PrintStream out) {
        String source;
        Architecture architecture;
        if (arguments.size() == 3 && arguments.get(1).equals("--preset")) {
            ResolvedModel model = ModelResolver.resolve(new ModelSpec(arguments.get(2), null), "preset");
            source = model.source();
            architecture = model.architecture();
        }
        else if (arguments.size() == 2 || (arguments.size() == 3 && arguments.get(1).equals("--approximate"))) {
            String file = arguments.get(arguments.size() - 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> config = read(Path.of(file), Map.class);
            ImportedModel model = ModelResolver.importHuggingFaceConfig(config, "", arguments.size() == 3);
            source = file + " (" + model.modelType() + ")";
            architecture = model.architecture();
            model.warnings().forEach((warning) -> out.println("warning: " + warning));
            model.otherModules().forEach((module) -> out.printf(Locale.ROOT, "not in the count: %s, %d parameters%n",
                    module.module(), module.parameters()));
        }
        else {
            throw new Invalid("params needs --preset ID or [--approximate] CONFIG.json\n" + USAGE);
        }
        ParameterCount count = ParameterCounter.count(architecture);
        out.printf(Locale.ROOT, "%s: %d parameters, %d active per token, %d non-embedding%n", source,
                count.totalParameters(), count.activeParametersPerToken(), count.nonEmbeddingParameters());
        return PASS;
    }

    private static final double GIB = 1L << 30;

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.4g", value);
    }

    private static Path file(List<String> arguments) {
        if (arguments.size() != 2) {
            throw new Invalid(arguments.get(0) + " needs one file\n" + USAGE);
        }
        return Path.of(arguments.get(1));
    }

    private static <T> T read(Path file, Class<T> type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException ex) {
            throw new Invalid("no such file: " + file);
        }
        catch (IOException ex) {
            throw new Invalid("cannot read " + file + ": " + ex.getMessage());
        }
        T value = JSON.readValue(text, type);
        validate(value);
        return value;
    }

    private static void validate(Object value) {
        try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
            Validator validator = factory.getValidator();
            Set<ConstraintViolation<Object>> violations = validator.validate(value);
            if (!violations.isEmpty()) {
                throw new Invalid(violations.stream()
                        .map((v) -> "'" + v.getPropertyPath() + "' " + v.getMessage())
                        .sorted()
                        .collect(Collectors.joining("; ")));
            }
        }
    }

    /** Bad input found by the command line itself. */
    private static final class Invalid extends RuntimeException {

        Invalid(String message) {
            super(message);
        }
    }
}
