package dev.llmcalc.api.alignment;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.ResolvedModel;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.alignment.AlignmentCalculator;
import dev.llmcalc.core.alignment.AlignmentEstimate;
import dev.llmcalc.core.alignment.AlignmentRun;
import dev.llmcalc.core.alignment.AlignmentTotals;
import dev.llmcalc.core.alignment.Placement;
import dev.llmcalc.core.alignment.Role;
import dev.llmcalc.core.alignment.RoleOverride;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.plan.CapacityCheck;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * An alignment request to its answer: what the endpoint and the command line ({@code bin/llmcalc align}) both run.
 */
public final class Aligning {

    private Aligning() {
    }

    /** The answer of {@code POST /api/v1/alignment}. */
    public static AlignmentResponse align(AlignmentRequest request) {
        ResolvedModel model = ModelResolver.resolve(request.model(), "model");
        Training training = TrainingSpec.baseTraining(request.training());
        FineTuning fineTuning = TrainingSpec.fineTuning(request.training());
        Parallelism parallelism = ParallelismSpec.toCore(request.parallelism());
        GpuSpec gpu = request.gpu() != null ? request.gpu().toCore("gpu") : null;
        AlignmentEstimate estimate;
        AlignmentTotals totals = null;
        List<CapacityCheck.Violation> violations = null;
        try {
            fineTuning.requireAppliesTo(model.architecture());
            AlignmentRun run = new AlignmentRun(request.algorithm(), model.architecture(), training, fineTuning,
                    parallelism, request.frozenPrecision() != null ? request.frozenPrecision()
                            : training.precision().weights(),
                    Boolean.TRUE.equals(request.separateReference()),
                    request.rollout() != null ? request.rollout().toCore() : null,
                    request.batch() != null ? BatchSpec.toCore(request.batch()) : null,
                    ActivationsSpec.toCore(request.activations(), model.architecture(), training),
                    request.epochs() != null ? request.epochs() : 1, overrides(request.roles(), model.architecture()),
                    request.placement() != null ? request.placement() : Placement.COLOCATED);
            if (request.gpuCount() != null && request.gpuCount() != run.gpuCount()) {
                throw new InvalidInputException("gpuCount", "is " + request.gpuCount() + " but the layouts use "
                        + run.gpuCount() + " GPUs" + (run.placement() == Placement.SEPARATE
                                ? " (every role's GPUs added up)" : ""));
            }
            estimate = AlignmentCalculator.estimate(run, gpu);
            if (gpu != null) {
                AlignmentRequest.AlignmentRequirementsSpec r = request.requirements();
                violations = AlignmentCalculator.violations(estimate, gpu.memoryBytes(),
                        r != null ? r.maxMemoryFraction() : null, r != null ? r.maxStepSeconds() : null);
            }
            if (request.run() != null) {
                if (estimate.stepSeconds() == null) {
                    throw new BadRequestException("run", "needs the step timed: a batch with a globalBatchSize and a gpu");
                }
                totals = AlignmentTotals.of(request.run().examples(), AlignmentCalculator.examplesPerStep(run),
                        estimate.stepSeconds(), run.gpuCount(), request.run().pricePerGpuHour());
            }
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
        return AlignmentResponse.of(model.source(), request.algorithm(), TrainingSpec.from(training, fineTuning),
                ParallelismSpec.from(parallelism), estimate, gpu != null ? gpu.memoryBytes() : null, violations, totals);
    }

    /** The request's role overrides in the core's terms; problems name the role's field. */
    private static Map<Role, RoleOverride> overrides(AlignmentRequest.RolesSpec roles, Architecture policy) {
        Map<Role, RoleOverride> overrides = new EnumMap<>(Role.class);
        if (roles == null) {
            return overrides;
        }
        put(overrides, Role.REFERENCE, roles.reference(), policy);
        put(overrides, Role.REWARD, roles.reward(), policy);
        put(overrides, Role.CRITIC, roles.critic(), policy);
        return overrides;
    }

    private static void put(Map<Role, RoleOverride> overrides, Role role, AlignmentRequest.RoleSpec spec,
            Architecture policy) {
        if (spec == null) {
            return;
        }
        String field = "roles." + role.name().toLowerCase(Locale.ROOT);
        Architecture model = spec.model() != null
                ? ModelResolver.resolve(spec.model(), field + ".model").architecture() : null;
        Training training = null;
        FineTuning fineTuning = null;
        if (spec.training() != null) {
            try {
                training = spec.training().baseTraining();
                fineTuning = spec.training().fineTuning();
                // the adapters must exist on the role's own model, scalar head and all
                Architecture roleModel = model != null ? model : policy;
                fineTuning.requireAppliesTo(role.scalarHead() ? roleModel.withScalarHead() : roleModel);
            }
            catch (InvalidInputException ex) {
                throw TrainingSpec.named(ex).under(field + ".");
            }
        }
        overrides.put(role, new RoleOverride(model, training, spec.precision(),
                spec.parallelism() != null ? ParallelismSpec.toCore(spec.parallelism()) : null, fineTuning));
    }
}
