package dev.llmcalc.api;

import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingMethod;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.InvalidInputException;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

/**
 * The {@code training} object: precision, optimizer, ZeRO stage, the method (full or LoRA / QLoRA), offload and hybrid
 * sharding's shard group.
 */
@Schema(description = "How the model is trained. Omitted fields: MIXED_BF16, ADAMW, zeroStage 0, method FULL.")
public record TrainingSpec(
        @Schema(description = "[MIXED_BF16] FP32 (4+4 B), MIXED_BF16 / MIXED_FP16 (2+2 B + fp32 master), "
                + "MIXED_BF16_FP32_GRADS (2+4 B + fp32 master, Megatron's default), MIXED_FP8 (Transformer Engine: as "
                + "MIXED_BF16_FP32_GRADS + an FP8 copy and transpose of each linear weight and per-tensor scaling state; "
                + "linear inputs kept in FP8), MIXED_FP8_BF16_GRADS (MIXED_FP8 with bf16 gradients, reduced in bf16: "
                + "NeMo's grad_reduce_in_fp32 false), MIXED_FP8_BLOCKWISE (DeepSeek-V3: one FP8 copy with 128×128 block scales, "
                + "linear inputs in FP8 with 1×128 tile scales). FP8 needs a model and a GPU with an FP8 peak")
        Precision precision,
        @Schema(description = "[ADAMW] optimizer whose states are kept: ADAMW / ADAM (fp32 momentum + variance, 8 B), "
                + "SGD (0), SGD_MOMENTUM and LION (4 B), ADAMW_8BIT (2 B + absmax per 2,048), ADAMW_BF16_MOMENTS (4 B), "
                + "ADAFACTOR (factored fp32 second moment: rows + columns per matrix, full for vectors; no first moment), "
                + "ADAFACTOR_MOMENTUM (+ fp32 first moment), MUON (fp32 momentum on hidden matrices, AdamW on embeddings, "
                + "head and vectors); ADAFACTOR* and MUON need a model. Mixed precision adds the 4 B fp32 master")
        Optimizer optimizer,
        @Schema(description = "[0] ZeRO stage 0-3", example = "1") @Min(0) @Max(3) Integer zeroStage,
        @Schema(description = "[FULL] FULL trains every parameter; LORA and QLORA train low-rank adapters over frozen "
                + "base weights (accepted by /parameters, /memory/model-states, /memory/activations, /memory/training, "
                + "/compute, /communication and /checks; not yet by /plans)")
        TrainingMethod method,
        @Schema(description = "adapter options; only with method LORA or QLORA") @Valid LoraSpec lora,
        @Schema(description = "[nothing] ZeRO-Offload / ZeRO-Infinity: what leaves the GPU") @Valid OffloadSpec offload,
        @Schema(description = "[all data × context ranks] hybrid sharding (PyTorch FSDP HYBRID_SHARD; the in-group "
                + "sharding of ZeRO++ hpZ): what the ZeRO stage partitions (optimizer states from 1, gradients from 2, "
                + "weights at 3) is partitioned over groups of this many consecutive data × context ranks and replicated "
                + "across the data × context / shardGroupSize groups; ZeRO's collectives stay inside a group and the "
                + "gradient shards are all-reduced across groups once per step. Needs zeroStage 1-3, must divide data × "
                + "context and be a multiple of parallelism.expert; not searched by /plans", example = "8")
        @Min(1) @Max(Parallelism.MAX_DEGREE) Integer shardGroupSize) {

    /** Precision, optimizer and stage only, as before the method existed. */
    public TrainingSpec(Precision precision, Optimizer optimizer, Integer zeroStage) {
        this(precision, optimizer, zeroStage, null, null, null, null);
    }

    /** Without hybrid sharding. */
    public TrainingSpec(Precision precision, Optimizer optimizer, Integer zeroStage, TrainingMethod method,
            LoraSpec lora, OffloadSpec offload) {
        this(precision, optimizer, zeroStage, method, lora, offload, null);
    }

    /** Without offload. */
    public TrainingSpec(Precision precision, Optimizer optimizer, Integer zeroStage, TrainingMethod method,
            LoraSpec lora) {
        this(precision, optimizer, zeroStage, method, lora, null);
    }

    /** {@code training.offload}: DeepSpeed's offload_optimizer and offload_param devices. */
    @Schema(description = "What leaves the GPU (DeepSpeed offload_optimizer / offload_param)")
    public record OffloadSpec(
            @Schema(description = "[NONE] the fp32 master weights and optimizer states: CPU or NVME (ZeRO-1, 2, 3); "
                    + "the optimizer step then runs on the CPU", example = "CPU") OffloadDevice optimizer,
            @Schema(description = "[NONE] the 16-bit weights between uses: CPU or NVME (ZeRO-3, with the optimizer "
                    + "offloaded)") OffloadDevice parameters,
            @Schema(description = "[3.89e9] parameters per second a node's CPUs update in the CPU optimizer step, all "
                    + "its GPUs' ranks together (default: ZeRO-Offload, Ren et al. 2021, Table 3: DeepSpeed's CPU-Adam, 10 "
                    + "billion parameters in 2.57 s on a DGX-2)", example = "3.89e9")
            @Positive @DecimalMax("1e15") Double cpuAdamParametersPerSecond,
            @Schema(description = "[28e9] bytes/s a node's NVMe drives read or write, shared by its GPUs (default: "
                    + "ZeRO-Infinity, Rajbhandari et al. 2021: 28 GB/s per DGX-2 node)", example = "28e9")
            @Positive @DecimalMax("1e15") Double nvmeBandwidth,
            @Schema(description = "[NONE] the activation checkpoints (the layer inputs full recomputation keeps) between "
                    + "forward and backward: CPU holds them in host memory (DeepSpeed cpu_checkpointing; needs "
                    + "activations.recomputation FULL)") OffloadDevice activations) {

        /** The devices only, default host speeds. */
        public OffloadSpec(OffloadDevice optimizer, OffloadDevice parameters) {
            this(optimizer, parameters, null, null, null);
        }

        public OffloadSpec(OffloadDevice optimizer, OffloadDevice parameters, Double cpuAdamParametersPerSecond,
                Double nvmeBandwidth) {
            this(optimizer, parameters, cpuAdamParametersPerSecond, nvmeBandwidth, null);
        }

        Offload toCore() {
            return new Offload(this.optimizer != null ? this.optimizer : OffloadDevice.NONE,
                    this.parameters != null ? this.parameters : OffloadDevice.NONE,
                    this.cpuAdamParametersPerSecond != null ? this.cpuAdamParametersPerSecond
                            : Offload.DEFAULT_CPU_ADAM_PARAMETERS_PER_SECOND,
                    this.nvmeBandwidth != null ? this.nvmeBandwidth : Offload.DEFAULT_NVME_BANDWIDTH,
                    this.activations != null ? this.activations : OffloadDevice.NONE);
        }

        static OffloadSpec from(Offload offload) {
            return offload.any() ? new OffloadSpec(offload.optimizer(), offload.parameters(),
                    offload.cpuAdamParametersPerSecond(), offload.nvmeBandwidth(),
                    offload.activations() != OffloadDevice.NONE ? offload.activations() : null) : null;
        }
    }

    /** The core training for full-parameter endpoints: a LoRA method is refused, not silently ignored. */
    public Training toCore() {
        InvalidInputException.require(fineTuning().method() == TrainingMethod.FULL, "training.method",
                this.method + " is not modelled by this endpoint yet; POST /api/v1/parameters, /api/v1/memory/model-states, "
                        + "/api/v1/memory/activations, /api/v1/memory/training, /api/v1/compute, /api/v1/communication and "
                        + "/api/v1/checks accept it");
        return baseTraining();
    }

    /** Precision, optimizer and stage with defaults applied, whatever the method. */
    public Training baseTraining() {
        try {
            return new Training(this.precision != null ? this.precision : Training.DEFAULT.precision(),
                    this.optimizer != null ? this.optimizer : Training.DEFAULT.optimizer(),
                    this.zeroStage != null ? ZeroStage.of(this.zeroStage) : Training.DEFAULT.zeroStage(),
                    this.offload != null ? this.offload.toCore() : Offload.NONE,
                    this.shardGroupSize != null ? this.shardGroupSize : Training.WHOLE_DATA_GROUP);
        }
        catch (InvalidInputException ex) {
            throw ex.field().startsWith("offload") ? ex.under("training.") : ex;
        }
    }

    /** The method and its LoRA options; problems name the field under "training.". */
    public FineTuning fineTuning() {
        TrainingMethod chosen = this.method != null ? this.method : TrainingMethod.FULL;
        if (chosen == TrainingMethod.FULL) {
            InvalidInputException.require(this.lora == null, "training.lora",
                    "applies only to training.method LORA or QLORA");
            return FineTuning.FULL;
        }
        LoraSpec options = this.lora != null ? this.lora : new LoraSpec(null, null, null, null);
        try {
            return options.toCore(chosen);
        }
        catch (InvalidInputException ex) {
            throw ex.under("training.");
        }
    }

    /**
     * A problem from a fine-tuning calculation, named as the client wrote it: the method and its LoRA options live
     * under "training."; the layout and every other field keep their names.
     */
    public static InvalidInputException named(InvalidInputException ex) {
        return ex.field().equals("method") || ex.field().startsWith("lora") ? ex.under("training.") : ex;
    }

    public static Training toCore(TrainingSpec spec) {
        return spec != null ? spec.toCore() : Training.DEFAULT;
    }

    /** The spec's method, or FULL when the spec is absent. */
    public static FineTuning fineTuning(TrainingSpec spec) {
        return spec != null ? spec.fineTuning() : FineTuning.FULL;
    }

    /** The spec's training, whatever its method. */
    public static Training baseTraining(TrainingSpec spec) {
        return spec != null ? spec.baseTraining() : Training.DEFAULT;
    }

    public static TrainingSpec from(Training training) {
        return new TrainingSpec(training.precision(), training.optimizer(), training.zeroStage().number(), null, null,
                OffloadSpec.from(training.offload()), shardGroupSize(training));
    }

    /** Echo with the method and, for LoRA / QLoRA, the options used. */
    public static TrainingSpec from(Training training, FineTuning fineTuning) {
        return new TrainingSpec(training.precision(), training.optimizer(), training.zeroStage().number(),
                fineTuning.method(), fineTuning.isAdapter() ? LoraSpec.from(fineTuning) : null,
                OffloadSpec.from(training.offload()), shardGroupSize(training));
    }

    /** The echoed shard group: absent without hybrid sharding. */
    private static Integer shardGroupSize(Training training) {
        return training.hybridSharding() ? training.shardGroupSize() : null;
    }
}
