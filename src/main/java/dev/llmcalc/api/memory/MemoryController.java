package dev.llmcalc.api.memory;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.AllowanceSpec;
import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.FineTuningView;
import dev.llmcalc.api.FormulaView;
import dev.llmcalc.api.ModelResolver.ModelOrCount;
import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.api.OffloadView;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.ResolvedRun;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.activation.ActivationEstimate;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.memory.AdapterModelStates;
import dev.llmcalc.core.memory.FineTuningStates;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.GpuModelStates;
import dev.llmcalc.core.memory.InferenceMemory;
import dev.llmcalc.core.memory.InferenceMemoryCalculator;
import dev.llmcalc.core.memory.KvCache;
import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.memory.ModelStates;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "memory", description = "Bytes per GPU")
class MemoryController {

    @PostMapping(path = "/api/v1/memory/model-states", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Weights, gradients and optimizer states per GPU (FP32 / mixed precision, ZeRO 0-3, "
            + "data / tensor / pipeline / expert / context parallelism)")
    ModelStatesResponse modelStates(@Valid @RequestBody ModelStatesRequest request) {
        ModelOrCount subject = ModelResolver.resolveModelOrCount(request.model(), request.parameters());
        Training training = TrainingSpec.baseTraining(request.training());
        FineTuning fineTuning = TrainingSpec.fineTuning(request.training());
        Parallelism parallelism = ParallelismSpec.toCore(request.parallelism());
        subject.requireModelFor(fineTuning);
        GpuModelStates states;
        try {
            states = subject.model() != null
                    ? ModelStateCalculator.forModel(subject.model().architecture(), training, fineTuning, parallelism)
                    : ModelStateCalculator.forParameterCount(subject.parameters(), training, parallelism);
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
        // the answer's shape follows the result: LoRA / QLoRA adds the frozen/adapter split and the fineTuning block
        if (states instanceof AdapterModelStates adapters) {
            return new ModelStatesResponse(subject.source(), subject.parameters(),
                    TrainingSpec.from(training, fineTuning), ParallelismSpec.from(parallelism),
                    ModelStatesResponse.PerGpu.of(adapters.states()),
                    ModelStatesResponse.LocalParametersView.of(adapters.local()), adapters.bytesPerParameter(),
                    adapters.effectiveBytesPerParameter(), adapters.zeroShards(),
                    FormulaView.of(adapters.documentFormula()), adapters.assumptions(),
                    FineTuningView.of(fineTuning, adapters.states().count()), null);
        }
        ModelStates full = (ModelStates) states;
        return new ModelStatesResponse(subject.source(), subject.parameters(), TrainingSpec.from(training),
                ParallelismSpec.from(parallelism), ModelStatesResponse.PerGpu.of(full.perGpu()),
                ModelStatesResponse.LocalParametersView.of(full.local()), full.bytesPerParameter(),
                full.effectiveBytesPerParameter(), full.zeroShards(), FormulaView.of(full.documentFormula()),
                full.assumptions(), null, OffloadView.of(full.offloaded(), ModelStateCalculator.DEFAULT_GPUS_PER_NODE,
                        0, ModelStateCalculator.deepSpeedFormula(full, subject.model() != null
                                ? subject.model().architecture() : null, ModelStateCalculator.DEFAULT_GPUS_PER_NODE)),
                full.modelKnown() ? ModelStatesResponse.ModelStateItemView.of(full.items()) : null,
                full.newtonSchulzFlopsPerStep());
    }

    @PostMapping(path = "/api/v1/memory/activations", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Activation memory per GPU: a per-tensor ledger for every recompute, attention and parallel "
            + "mode, with the document's M_act and Korthikanti et al. Table 2 beside it")
    ActivationsResponse activations(@Valid @RequestBody ActivationsRequest request) {
        ResolvedRun resolved = ResolvedRun.resolve(request.model(), request.training(), request.batch(),
                request.activations(), request.parallelism());
        TrainingRun run = resolved.run();
        ActivationEstimate estimate = ActivationCalculator.estimate(run.model(), run.batch(), run.options(),
                run.parallelism());
        return new ActivationsResponse(resolved.model().source(), BatchSpec.from(run.batch()),
                ActivationsSpec.from(run.options()), ParallelismSpec.from(run.parallelism()),
                TrainingSpec.from(run.training(), run.fineTuning()), run.options().elementBytes(),
                ActivationsView.of(estimate), estimate.assumptions());
    }

    @PostMapping(path = "/api/v1/memory/training", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Total training memory per GPU: model states + activations + transient peaks + framework "
            + "allowance; with a GPU, whether it fits, the headroom, and the largest micro-batch and sequence that fit")
    TrainingMemoryResponse training(@Valid @RequestBody TrainingMemoryRequest request) {
        ResolvedRun resolved = ResolvedRun.resolve(request.model(), request.training(), request.batch(),
                request.activations(), request.parallelism(), request.cluster());
        TrainingRun run = resolved.run();
        Training training = run.training();
        Parallelism parallelism = run.parallelism();
        FrameworkAllowance allowance = AllowanceSpec.toCore(request.allowance());
        Cluster cluster = request.cluster() != null ? request.cluster().toCore("cluster", resolved.layout().gpuCount())
                : null;
        GpuSpec gpu = cluster != null ? cluster.gpu() : null;
        if (gpu != null) {
            training.requireRunsOn(gpu);
        }
        int gpusPerNode = cluster != null ? cluster.ranksPerNode() : ModelStateCalculator.DEFAULT_GPUS_PER_NODE;
        TrainingMemory memory;
        try {
            memory = TrainingMemoryCalculator.estimate(run, allowance, gpu != null ? gpu.memoryBytes() : 0);
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
        long parameters = ParameterCounter.count(run.model()).totalParameters();
        FineTuningStates adapterStates = memory.adapterStates();
        return new TrainingMemoryResponse(resolved.model().source(), parameters, BatchSpec.from(run.batch()),
                TrainingSpec.from(training, run.fineTuning()), ActivationsSpec.from(run.options()),
                ParallelismSpec.from(parallelism), AllowanceSpec.from(allowance),
                TrainingMemoryResponse.PerGpu.of(memory, adapterStates), memory.pipelineStage(),
                gpu != null ? new TrainingMemoryResponse.Gpu(gpu.id(), gpu.memoryBytes()) : null,
                memory.fits(), memory.headroomBytes(), memory.maxMicroBatchSize(), memory.maxSequenceLength(),
                new TrainingMemoryResponse.DocumentFormulas(
                        FormulaView.of(ModelStateCalculator.documentFormula(parameters,
                                memory.modelStates().totalBytes(), training, parallelism)),
                        FormulaView.of(memory.activations().documentFormula())),
                ActivationsView.of(memory.activations()),
                adapterStates != null ? FineTuningView.of(run.fineTuning(), adapterStates.count()) : null,
                adapterStates == null ? OffloadView.of(run, memory, TrainingMemoryCalculator.offloaded(run, memory),
                        gpusPerNode, cluster != null ? cluster.hostMemoryBytesPerNode() : 0) : null,
                ModelStatesResponse.ModelStateItemView.of(TrainingMemoryCalculator.modelStateItems(run, memory)),
                resolved.withLayoutAssumptions(TrainingMemoryCalculator.assumptions(run, memory)));
    }

    @PostMapping(path = "/api/v1/memory/inference", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Weights at FP32 / BF16 / FP16 / INT8 / INT4 and an optional KV cache")
    InferenceResponse inference(@Valid @RequestBody InferenceRequest request) {
        ModelOrCount subject = ModelResolver.resolveModelOrCount(request.model(), request.parameters());
        KvCache cache = null;
        if (request.kvCache() != null) {
            if (subject.model() == null) {
                throw new BadRequestException("kvCache", "needs a 'model' (its layers and heads), not a raw count");
            }
            InferenceRequest.KvCacheSpec spec = request.kvCache();
            cache = new KvCache(spec.batchSize(), spec.sequenceLength(),
                    spec.precision() != null ? spec.precision() : DType.BF16);
        }
        InferenceMemory memory = InferenceMemoryCalculator.estimate(subject.parameters(),
                subject.model() != null ? subject.model().architecture() : null, request.weightPrecision(), cache);
        return new InferenceResponse(subject.source(), subject.parameters(), request.weightPrecision(),
                memory.weightsBytes(), memory.kvCacheBytes(), memory.kvCacheBytesPerToken(), memory.totalBytes(),
                FormulaView.of(memory.documentFormula()), memory.assumptions());
    }
}
