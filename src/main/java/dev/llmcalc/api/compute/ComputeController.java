package dev.llmcalc.api.compute;

import dev.llmcalc.api.EnergySpec;
import dev.llmcalc.api.ModelResolver.ModelOrCount;
import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.compute.RunEnergy;
import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.compute.TrainingTime;
import dev.llmcalc.core.plan.KernelTime;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.api.KernelEfficiencySpec;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.unit.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "compute", description = "Training FLOPs, time and cost")
class ComputeController {

    @PostMapping(path = "/api/v1/compute", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Training FLOPs (the document's 6·N·D and the detailed count), and time and cost on a cluster")
    ComputeResponse compute(@Valid @RequestBody ComputeRequest request) {
        ModelOrCount target = ModelResolver.resolveModelOrCount(request.model(), request.parameters());
        FineTuning fineTuning = TrainingSpec.fineTuning(request.training());
        target.requireModelFor(fineTuning);
        TrainingCompute compute = target.model() != null
                ? fineTuningCompute(target.model().architecture(), request, fineTuning)
                : TrainingCompute.forParameters(target.parameters(), request.tokens(), request.recomputationOrDefault());
        Cluster cluster = request.cluster() != null ? request.cluster().toCore("cluster") : null;
        TrainingTime time = cluster != null ? TrainingTime.of(compute, cluster, request.mfuOrDefault()) : null;
        RunEnergy energy = time != null
                ? RunEnergy.of(time.gpuHours(), cluster.gpu(), EnergySpec.toCore(request.energy())) : null;
        KernelTime kernels = cluster != null && target.model() != null
                ? kernelTime(target.model().architecture(), request, compute, fineTuning, cluster) : null;
        return ComputeResponse.of(target.source(), request, compute, fineTuning, cluster, time, energy, kernels);
    }

    // the run's compute by kernel class at the GPU's shares: FlashAttention when attention is counted causally, eager
    // otherwise; bf16 activations, no dropout, the request's recomputation
    private static KernelTime kernelTime(Architecture model, ComputeRequest request, TrainingCompute compute,
            FineTuning fineTuning, Cluster cluster) {
        boolean causal = request.causalOrDefault();
        ActivationOptions options = new ActivationOptions(request.recomputationOrDefault(),
                causal ? AttentionKernel.FLASH : AttentionKernel.EAGER, false, false, false, true,
                Precision.MIXED_BF16.activations());
        return KernelTime.of(model, compute, compute.trainingFlops(), options, request.tokens(),
                request.sequenceLengthOrDefault(), cluster,
                KernelEfficiencySpec.resolve(cluster.gpu(), null, request.kernelEfficiency()));
    }

    private static TrainingCompute fineTuningCompute(Architecture model, ComputeRequest request, FineTuning fineTuning) {
        try {
            return TrainingCompute.forFineTuning(model, request.tokens(), request.sequenceLengthOrDefault(),
                    request.causalOrDefault(), request.recomputationOrDefault(), fineTuning);
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
    }
}
