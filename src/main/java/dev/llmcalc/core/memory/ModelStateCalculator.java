package dev.llmcalc.core.memory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.parallel.WeightMatrix;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.AdapterCounter;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Fp8Recipe;
import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * Weights, gradients and optimizer states per GPU under FP32 or mixed precision, any optimizer, ZeRO
 * 0–3 and data/tensor/pipeline/expert/context parallelism (seed §3 "显存"; Rajbhandari et al. 2019 §5).
 */
public final class ModelStateCalculator {

    private ModelStateCalculator() {
    }

    /** For a known model: every pipeline stage is placed and the most-loaded GPU reported. */
    public static ModelStates forModel(Architecture model, Training training, Parallelism parallelism) {
        long total = ParameterCounter.count(model).totalParameters();
        long working = workingLayer(model, training, parallelism);
        // the most-loaded stage by total bytes
        LocalParameters busiest = null;
        ModelStateBytes busiestBytes = null;
        for (LocalParameters stage : ParameterPlacement.stages(model, parallelism)) {
            ModelStateBytes bytes = perGpu(stage, training, parallelism, working);
            if (busiestBytes == null || bytes.totalBytes() > busiestBytes.totalBytes()) {
                busiest = stage;
                busiestBytes = bytes;
            }
        }
        return result(busiestBytes, busiest, total, training, parallelism, model);
    }

    /**
     * For a known model and any method: full training's states, or LoRA / QLoRA's (frozen weights, adapters,
     * dequantization buffer) on the GPU whose states are largest.
     */
    public static GpuModelStates forModel(Architecture model, Training training, FineTuning fineTuning,
            Parallelism parallelism) {
        if (!fineTuning.isAdapter()) {
            return forModel(model, training, parallelism);
        }
        TrainingRun.requireOffloadModelled(training, fineTuning);
        parallelism.requireFits(model);
        return new AdapterModelStates(FineTuningStateCalculator.perGpu(model, training, fineTuning, parallelism),
                ParameterCounter.count(model).totalParameters(), training, fineTuning, parallelism);
    }

    /** For a raw parameter count: split evenly over tensor × pipeline ranks, rounded up. */
    public static ModelStates forParameterCount(long parameters, Training training, Parallelism parallelism) {
        InvalidInputException.require(parameters >= 1, "parameters", "must be at least 1");
        InvalidInputException.require(parallelism.expert() == 1, "parallelism.expert",
                "must be 1 with a raw parameter count: expert parallelism needs the model's experts");
        InvalidInputException.require(training.offload().parameters() == OffloadDevice.NONE,
                "training.offload.parameters", "needs 'model' rather than a raw count: the GPU keeps the largest layer");
        LocalParameters local = ParameterPlacement.evenSplit(parameters, parallelism);
        return result(perGpu(local, training, parallelism), local, parameters, training, parallelism, null);
    }

    /** The bytes one GPU holds for its local parameters under the training's ZeRO stage. */
    public static ModelStateBytes perGpu(LocalParameters local, Training training, Parallelism parallelism) {
        return perGpu(local, training, parallelism, 0);
    }

    /**
     * The same with offloading: the optimizer states leave the GPU with {@code offload.optimizer}; with
     * {@code offload.parameters} (ZeRO-3) the weights and gradients do too, but for the layer being computed.
     *
     * @param workingLayer parameters of the largest layer gathered for compute ({@link #largestLayer}); only with
     *        parameter offload
     */
    public static ModelStateBytes perGpu(LocalParameters local, Training training, Parallelism parallelism,
            long workingLayer) {
        ZeroStage zero = training.zeroStage();
        long denseShard = Exact.ceilDiv(local.dense(), training.denseShardingDegree(parallelism));
        long expertShard = local.expert() == 0 ? 0
                : Exact.ceilDiv(local.expert(), training.expertShardingDegree(parallelism));
        long full = local.total();
        long shard = Exact.add("perGpu.totalBytes", denseShard, expertShard);
        Offload offload = training.offload();
        boolean parametersOff = offload.parameters() != OffloadDevice.NONE;
        long weights = weights(parametersOff ? workingLayer : zero.shardsWeights() ? shard : full, training);
        if (training.precision().fp8().any()) {
            weights = Exact.add("perGpu.weightsBytes", weights, fp8Weights(local, training, parallelism).totalBytes());
        }
        return new ModelStateBytes(weights,
                gradients(parametersOff ? workingLayer : zero.shardsGradients() ? shard : full, training),
                offload.optimizer() != OffloadDevice.NONE ? 0
                        : optimizerStates(local, zero.shardsOptimizer(), zero.shardsOptimizer() ? shard : full, training,
                                parallelism));
    }

    /**
     * The optimizer states (with the master copy) of {@code local}'s parameters, partitioned or not: per parameter for
     * most optimizers, per matrix shape for Adafactor and Muon ({@link ShapedOptimizerStates}), whose state bytes are
     * partitioned like a flat buffer over the same ranks.
     *
     * @param parameters the parameters whose master copy is kept here (the shard, or all)
     */
    static long optimizerStates(LocalParameters local, boolean sharded, long parameters, Training training,
            Parallelism parallelism) {
        if (!training.optimizer().dependsOnShapes()) {
            return optimizerStates(parameters, training);
        }
        requireShapes(local, training);
        String q = "perGpu.optimizerStatesBytes";
        ShapedOptimizerStates.Split split = ShapedOptimizerStates.bytes(local, training.optimizer());
        long states = !sharded ? split.total() : Exact.add(q, Exact.ceilDiv(split.dense(),
                training.denseShardingDegree(parallelism)), split.expert() == 0 ? 0
                        : Exact.ceilDiv(split.expert(), training.expertShardingDegree(parallelism)));
        long master = training.precision().masterCopy() ? Exact.multiply(q, parameters, FP32_BYTES) : 0;
        return Exact.add(q, states, master);
    }

    /** The FP8 copies, transposes and scaling state of {@code local}'s linear weights (nothing without FP8). */
    static Fp8Weights fp8Weights(LocalParameters local, Training training, Parallelism parallelism) {
        if (!training.precision().fp8().any()) {
            return Fp8Weights.NONE;
        }
        if (!local.hasShapes()) {
            throw new InvalidInputException("training.precision", training.precision() + " keeps FP8 copies of the "
                    + "linear layers' weights: it needs 'model' (a preset, an architecture or a config.json), not a raw "
                    + "parameter count");
        }
        return Fp8Weights.of(local, training, parallelism);
    }

    /**
     * The model states of one GPU buffer by buffer, each with its width: the 16-bit (or fp32) weights, FP8 copies,
     * transposes and scaling state, gradients, the fp32 master copy and the optimizer's own states. They add up to
     * {@link #perGpu}'s total.
     */
    public static List<ModelStateItem> items(LocalParameters local, Training training, Parallelism parallelism,
            long workingLayer) {
        ModelStateBytes bytes = perGpu(local, training, parallelism, workingLayer);
        Fp8Weights fp8 = fp8Weights(local, training, parallelism);
        List<ModelStateItem> items = new ArrayList<>();
        String weights = training.precision().weights().name().toLowerCase(Locale.ROOT);
        items.add(new ModelStateItem("weights", weights, bytes.weightsBytes() - fp8.totalBytes()));
        if (training.precision().fp8().any()) {
            items.add(new ModelStateItem("FP8 copies of the linear layers' weights", "fp8", fp8.copiesBytes()));
            if (fp8.transposesBytes() > 0) {
                items.add(new ModelStateItem("FP8 transposes of the linear layers' weights", "fp8",
                        fp8.transposesBytes()));
            }
            items.add(new ModelStateItem(training.precision().fp8() == Fp8Recipe.TENSORWISE
                    ? "FP8 scaling state (amax history of " + Fp8Recipe.AMAX_HISTORY
                            + ", scale and inverse scale per FP8 tensor, 5 per linear layer)"
                    : "FP8 weight scales (one per 128 × 128 block)", "fp32", fp8.scalingBytes()));
        }
        items.add(new ModelStateItem("gradients",
                training.precision().gradients().name().toLowerCase(Locale.ROOT), bytes.gradientsBytes()));
        ZeroStage zero = training.zeroStage();
        long master = 0;
        if (training.precision().masterCopy() && training.offload().optimizer() == OffloadDevice.NONE) {
            long denseShard = Exact.ceilDiv(local.dense(), training.denseShardingDegree(parallelism));
            long expertShard = local.expert() == 0 ? 0
                    : Exact.ceilDiv(local.expert(), training.expertShardingDegree(parallelism));
            long parameters = zero.shardsOptimizer() ? Exact.add("perGpu.optimizerStatesBytes", denseShard, expertShard)
                    : local.total();
            master = Exact.multiply("perGpu.optimizerStatesBytes", parameters, FP32_BYTES);
            items.add(new ModelStateItem("master weights", "fp32", master));
        }
        items.add(new ModelStateItem("optimizer states (" + training.optimizer() + ")",
                training.optimizer().stateFormat(), bytes.optimizerStatesBytes() - master));
        return List.copyOf(items);
    }

    /** Adafactor and Muon size their states from the matrices' shapes, which a raw parameter count does not give. */
    static void requireShapes(LocalParameters local, Training training) {
        if (!local.hasShapes()) {
            throw new InvalidInputException("training.optimizer", training.optimizer() + " keeps states by matrix "
                    + "shape: it needs 'model' (a preset, an architecture or a config.json), not a raw parameter count");
        }
    }

    /** The layer gathered for compute under parameter offload ({@link #largestLayer}), else 0. */
    public static long workingLayer(Architecture model, Training training, Parallelism parallelism) {
        return training.offload().parameters() != OffloadDevice.NONE ? largestLayer(model, parallelism) : 0;
    }

    /** GPUs per node the per-node figures assume when the request names no cluster: an HGX / DGX board. */
    public static final int DEFAULT_GPUS_PER_NODE = 8;

    /** DeepSpeed's estimate beside these model states (see below), for a known model or a raw count. */
    public static DocumentFormula deepSpeedFormula(ModelStates states, Architecture model, int gpusPerNode) {
        OffloadedStates offloaded = states.offloaded();
        return deepSpeedFormula(states.totalParameters(), model != null ? largestLayer(model, states.parallelism()) : 0,
                states.training(), states.parallelism(), gpusPerNode, states.perGpu().totalBytes(),
                offloaded.bytesPerNode(OffloadDevice.CPU, gpusPerNode));
    }

    /**
     * DeepSpeed's own estimate of the same run's model states (deepspeed/runtime/zero/stage_1_and_2.py
     * estimate_zero2_model_states_mem_needs; stage3.py estimate_zero3_model_states_mem_needs with zero_init and its
     * default additional_buffer_factor 1.5), or {@code null} for ZeRO-0 and ZeRO-1, which it does not estimate. Its
     * "GPUs" are the data-parallel ones.
     */
    public static DocumentFormula deepSpeedFormula(long phi, long largestLayer, Training training,
            Parallelism parallelism, int gpusPerNode, long detailedGpuBytes, long detailedHostBytesPerNode) {
        ZeroStage zero = training.zeroStage();
        if (zero != ZeroStage.ZERO_2 && zero != ZeroStage.ZERO_3) {
            return null;
        }
        long gpus = parallelism.gpuCount();
        long nodes = Math.max(1, Exact.ceilDiv(gpus, gpusPerNode));
        double factor = 1.5;
        boolean optimizerOff = training.offload().optimizer() != OffloadDevice.NONE;
        boolean parametersOff = training.offload().parameters() != OffloadDevice.NONE;
        double gpu;
        double cpu;
        String expression;
        if (zero == ZeroStage.ZERO_2) {
            // stage_1_and_2.py: offload → gpu 2Φ, cpu Φ·max(4·N, 16)·1.5; else gpu 4Φ + 16Φ/N, cpu 4Φ·(GPUs per node)·1.5
            gpu = optimizerOff ? 2.0 * phi : 4.0 * phi + Math.floor(16.0 * phi / gpus);
            cpu = optimizerOff ? phi * Math.max(4.0 * gpus, 16) * factor : phi * 4.0 * gpusPerNode * factor;
            expression = optimizerOff ? "ZeRO-2 + cpu_offload: GPU 2Φ; CPU Φ·max(4·N, 16)·1.5"
                    : "ZeRO-2: GPU 4Φ + 16Φ/N; CPU 4Φ·(GPUs per node)·1.5";
        }
        else {
            // stage3.py (zero_init): L = 4·largest layer; offload params → gpu L, cpu 18Φ/nodes·1.5; offload optimizer
            // only → gpu L + 2Φ/N, cpu 16Φ/nodes·1.5; none → gpu L + 18Φ/N, cpu 4·largest·(GPUs per node)·1.5
            double layer = 4.0 * largestLayer;
            if (optimizerOff && parametersOff) {
                gpu = layer;
                cpu = phi * 18.0 / nodes * factor;
                expression = "ZeRO-3 + offload params and optimizer: GPU 4·largest layer; CPU 18Φ/nodes·1.5";
            }
            else if (optimizerOff) {
                gpu = layer + Math.floor(2.0 * phi / gpus);
                cpu = phi * 16.0 / nodes * factor;
                expression = "ZeRO-3 + offload optimizer: GPU 4·largest layer + 2Φ/N; CPU 16Φ/nodes·1.5";
            }
            else {
                gpu = layer + Math.floor(18.0 * phi / gpus);
                cpu = largestLayer * 4.0 * gpusPerNode * factor;
                expression = "ZeRO-3: GPU 4·largest layer + 18Φ/N; CPU 4·largest layer·(GPUs per node)·1.5";
            }
        }
        String note = "DeepSpeed's estimator for Φ = " + phi + ", N = " + gpus + " GPUs (" + gpusPerNode + " per node), "
                + "largest layer " + largestLayer + " parameters: GPU " + (long) gpu + " bytes (this answer: "
                + detailedGpuBytes + "), host memory per node " + (long) cpu + " bytes (this answer: "
                + detailedHostBytesPerNode + "). It assumes fp16 Adam (16 bytes per parameter), counts no gradient "
                + "partition on the GPU under offload, and its 1.5 is a margin for buffers, not a measured figure.";
        return new DocumentFormula("DeepSpeed estimate_zero" + (zero == ZeroStage.ZERO_2 ? 2 : 3)
                + "_model_states_mem_needs", expression, "Φ = " + phi + ", N = " + gpus, gpu,
                (long) gpu == detailedGpuBytes, note);
    }

    // DeepSpeed's estimate_zero3_model_states_mem_needs: the largest module's parameters are gathered for compute (the
    // embedding, the LM head or the largest matrix, ÷ t when tensor parallelism splits it)
    public static long largestLayer(Architecture model, Parallelism parallelism) {
        long largest = Math.max(Math.max(ParameterCounter.embedding(model), ParameterCounter.lmHead(model)),
                AdapterCounter.largestLayerMatrix(model));
        return Exact.ceilDiv(largest, parallelism.tensor());
    }

    /**
     * What one GPU's rank keeps off the GPU (Ren et al. 2021 ZeRO-Offload; Rajbhandari et al. 2021 ZeRO-Infinity):
     * its partition of the fp32 master weights and optimizer states where the optimizer goes, an fp32 copy of its
     * gradient partition in host memory for the CPU optimizer step, and with parameter offload its partition of the
     * 16-bit weights. DeepSpeed's pinned staging buffers for NVMe (aio, a few hundred MB) are not counted.
     */
    public static OffloadedStates offloaded(LocalParameters local, Training training, Parallelism parallelism) {
        Offload offload = training.offload();
        // the model states leave the GPU with the optimizer (parameter offload needs it); activation checkpoints are
        // the activation ledger's (TrainingMemoryCalculator.offloaded)
        if (offload.optimizer() == OffloadDevice.NONE) {
            return OffloadedStates.NONE;
        }
        long denseShard = Exact.ceilDiv(local.dense(), training.denseShardingDegree(parallelism));
        long expertShard = local.expert() == 0 ? 0
                : Exact.ceilDiv(local.expert(), training.expertShardingDegree(parallelism));
        long shard = Exact.add("offload.bytesPerGpu", denseShard, expertShard);
        List<OffloadedStates.Buffer> buffers = new ArrayList<>();
        buffers.add(new OffloadedStates.Buffer("fp32 master weights and optimizer states (this rank's partition)",
                offload.optimizer(), optimizerStates(local, true, shard, training, parallelism)));
        buffers.add(new OffloadedStates.Buffer("fp32 gradient partition for the CPU optimizer step", OffloadDevice.CPU,
                Exact.multiply("offload.bytesPerGpu", shard, FP32_BYTES)));
        if (offload.parameters() != OffloadDevice.NONE) {
            buffers.add(new OffloadedStates.Buffer("16-bit weight partition between uses", offload.parameters(),
                    weights(shard, training)));
        }
        return new OffloadedStates(buffers);
    }

    private static final int FP32_BYTES = 4;

    // seed §3: M_model = 4Φ (FP32) or 2Φ (mixed precision)
    static long weights(long parameters, Training training) {
        return Exact.multiply("perGpu.weightsBytes", parameters, training.weightBytes());
    }

    // seed §3: M_grad = 4Φ (FP32) or 2Φ (mixed); Megatron keeps fp32 gradient buffers: 4Φ
    static long gradients(long parameters, Training training) {
        return Exact.multiply("perGpu.gradientsBytes", parameters, training.gradientBytes());
    }

    // seed §3: M_optim = 8Φ (FP32 Adam: momentum + variance) or 12Φ (mixed: + fp32 master copy)
    static long optimizerStates(long parameters, Training training) {
        String q = "perGpu.optimizerStatesBytes";
        long master = training.precision().masterCopy() ? Exact.multiply(q, parameters, FP32_BYTES) : 0;
        return Exact.add(q, training.optimizer().stateBytes(q, parameters), master);
    }

    private static ModelStates result(ModelStateBytes bytes, LocalParameters local, long totalParameters,
            Training training, Parallelism parallelism, Architecture model) {
        double effective = local.total() == 0 ? 0 : bytes.totalBytes() / (double) local.total();
        return new ModelStates(bytes, local, training.bytesPerParameter(), effective,
                training.denseShardingDegree(parallelism), totalParameters, training, parallelism, model);
    }

    /**
     * The document's formula for this case: 16Φ without ZeRO (seed §3, FP32 and mixed-precision AdamW), or
     * its pipeline + ZeRO-1 formula 2Φ/(t·p) + 2Φ/(t·p) + 12Φ/(d·t·p) with ZeRO (the document has none for ZeRO-2/3).
     */
    public static DocumentFormula documentFormula(long phi, long detailedBytes, Training training, Parallelism par) {
        if (training.zeroStage() == ZeroStage.ZERO_0) {
            return sixteenPhi(phi, detailedBytes, training, par);
        }
        return pipelineZeroOne(phi, detailedBytes, training, par);
    }

    // seed §3 "大模型训练过程中如何计算显存": M_total = 16Φ for FP32 AdamW and for mixed precision
    static DocumentFormula sixteenPhi(long phi, long detailedBytes, Training training, Parallelism par) {
        BigDecimal value = BigDecimal.valueOf(phi).multiply(BigDecimal.valueOf(16));
        boolean exact = value.compareTo(BigDecimal.valueOf(detailedBytes)) == 0;
        String note = exact ? "exact for this configuration"
                : "the document's 16Φ is the whole model on one GPU with Adam(W) in FP32 or fp16/bf16 mixed precision"
                        + " (4+4+8 or 2+2+12 bytes per parameter); this run keeps " + training.bytesPerParameter()
                        + " bytes per parameter" + (par.tensor() * (long) par.pipeline() > 1
                                ? " and splits the model over " + par.tensor() * (long) par.pipeline() + " GPUs (t·p)"
                                : "");
        return new DocumentFormula("seed §3 大模型训练过程中如何计算显存 (FP32 / 混合精度 AdamW)",
                "M_total = M_model + M_grad + M_optim = 16Φ", "16·" + phi, value.doubleValue(), exact, note);
    }

    // seed §3: M_per_gpu = 2Φ/(D_tp·D_pp) + 2Φ/(D_tp·D_pp) + 12Φ/(D_dp·D_tp·D_pp) (pipeline parallelism + ZeRO-1)
    static DocumentFormula pipelineZeroOne(long phi, long detailedBytes, Training training, Parallelism par) {
        BigDecimal p = BigDecimal.valueOf(phi);
        BigDecimal tp = BigDecimal.valueOf((long) par.tensor() * par.pipeline());
        BigDecimal dtp = tp.multiply(BigDecimal.valueOf(par.data()));
        BigDecimal value = p.multiply(BigDecimal.valueOf(4)).divide(tp, MathContext.DECIMAL128)
                .add(p.multiply(BigDecimal.valueOf(12)).divide(dtp, MathContext.DECIMAL128));
        boolean exact = value.compareTo(BigDecimal.valueOf(detailedBytes)) == 0;
        List<String> differences = new ArrayList<>();
        if (training.zeroStage() != ZeroStage.ZERO_1) {
            differences.add("the document gives no memory formula for ZeRO-" + training.zeroStage().number()
                    + "; this is its ZeRO-1 formula");
        }
        if (training.bytesPerParameter() != 16 || !training.precision().isMixed()) {
            differences.add("it assumes mixed-precision Adam (2 + 2 + 12 bytes per parameter); this run keeps "
                    + training.weightBytes() + " + " + training.gradientBytes() + " + "
                    + training.optimizerBytesPerParameter());
        }
        if (par.context() > 1) {
            differences.add("it shards over data-parallel ranks only; context-parallel ranks also share the shards here");
        }
        if (!exact && differences.isEmpty()) {
            differences.add("it splits Φ evenly; here the most-loaded pipeline stage (embedding or LM head, "
                    + "replicated norms, rounding up) is reported");
        }
        String perStage = "/(" + par.tensor() + "·" + par.pipeline() + ")";
        String substituted = "2·" + phi + perStage + " + 2·" + phi + perStage + " + 12·" + phi + "/(" + par.data() + "·"
                + par.tensor() + "·" + par.pipeline() + ")";
        return new DocumentFormula("seed §3 大模型训练过程中如何计算显存 (流水线并行与ZeRO-1相结合)",
                "M_per_gpu = 2Φ/(D_tp·D_pp) + 2Φ/(D_tp·D_pp) + 12Φ/(D_dp·D_tp·D_pp)", substituted,
                value.doubleValue(), exact, exact ? "exact for this configuration" : String.join("; ", differences));
    }

    /** The assumptions of a model-state answer on its own. */
    static List<String> modelStateAssumptions(Training training, Parallelism par, Architecture model) {
        List<String> list = new ArrayList<>(assumptions(training, par, model));
        list.add("Bytes only for model states: no activations, temporary buffers, communication buffers, "
                + "allocator fragmentation or CUDA context (POST /api/v1/memory/training adds them).");
        return List.copyOf(list);
    }

    /** What a model-state estimate assumes, in words; {@code model} is null for a raw parameter count. */
    public static List<String> assumptions(Training training, Parallelism par, Architecture model) {
        boolean modelKnown = model != null;
        List<String> list = new ArrayList<>();
        list.add("Bytes per parameter: weights " + training.weightBytes() + " (" + training.precision().weights()
                + "), gradients " + training.gradientBytes() + " (" + training.precision().gradients()
                + "), optimizer " + training.optimizerBytesPerParameter() + " (" + training.optimizer() + " state "
                + training.optimizer().stateBytes() + (training.precision().masterCopy() ? " + fp32 master copy 4" : "")
                + "); the master copy is counted inside optimizer states, as the source document does.");
        list.add("ZeRO-" + training.zeroStage().number() + " partitions "
                + switch (training.zeroStage()) {
                    case ZERO_0 -> "nothing";
                    case ZERO_1 -> "optimizer states";
                    case ZERO_2 -> "optimizer states and gradients";
                    case ZERO_3 -> "optimizer states, gradients and weights";
                } + shardingGroups(training, par) + "; partitions are rounded up (the most-loaded rank).");
        if (modelKnown) {
            list.add("Layout as in Megatron-LM: matrices and the vocabulary split across " + par.tensor()
                    + " tensor-parallel ranks, norms, row-parallel biases, routers and learned position tables "
                    + "replicated; layers spread over " + par.pipeline() + " pipeline stages (earlier stages take the "
                    + "remainder), embedding on the first, final norm and LM head on the last (a tied embedding is "
                    + "duplicated there when pipeline > 1); the most-loaded stage is reported. Vocabulary padding is not applied.");
        }
        else {
            list.add("A raw parameter count is split evenly over tensor × pipeline = "
                    + (long) par.tensor() * par.pipeline() + " ranks, rounded up.");
        }
        if (training.optimizer().dependsOnShapes() && model != null) {
            list.add(shapedOptimizerAssumption(training, model));
        }
        if (training.precision().fp8().any()) {
            list.add(fp8Assumption(training));
        }
        if (training.zeroStage() == ZeroStage.ZERO_1 && training.precision().gradients() == DType.FP32
                && training.precision().masterCopy()) {
            // Megatron-LM docs/source/api-guide/dist_optimizer.md: fp32 master and moments sharded over data-parallel
            // ranks, the full bf16 parameter and fp32 gradient buffers kept on every rank
            list.add("This is Megatron-LM's distributed optimizer (--use-distributed-optimizer): ZeRO-1 with fp32 "
                    + "gradient buffers, the same arithmetic named as Megatron names it.");
        }
        return List.copyOf(list);
    }

    /** The ranks ZeRO's partitions are spread over, in words: the data × context group or hybrid sharding's groups. */
    static String shardingGroups(Training training, Parallelism par) {
        String experts = par.expert() > 1 ? "; expert parameters over " + (training.hybridSharding()
                ? "shard group / expert = " : "data × context / expert = ") + training.expertShardingDegree(par) : "";
        if (!training.hybridSharding()) {
            return " over data × context = " + training.denseShardingDegree(par) + " ranks" + experts;
        }
        return " over shard groups of " + training.shardGroupSize() + " GPUs (hybrid sharding, PyTorch FSDP HYBRID_SHARD; "
                + "the in-group sharding of ZeRO++ hpZ, arXiv:2306.10209 §3.2), replicated across data × context / "
                + training.shardGroupSize() + " = " + training.replicaGroups(par) + " groups" + experts;
    }

    /** Which width FP8 training keeps each weight-side tensor in. */
    static String fp8Assumption(Training training) {
        String common = (training.precision().gradients() == DType.FP32
                ? "bf16 working weights (2 B), fp32 gradients (4 B) and the fp32 master copy (4 B), as Megatron-LM "
                        + "keeps them (MIXED_BF16_FP32_GRADS)"
                : "bf16 working weights (2 B), bf16 gradients (2 B, reduced in bf16 as NeMo's recipes set "
                        + "grad_reduce_in_fp32 false) and the fp32 master copy (4 B)")
                + "; the linear layers' weights (attention q, k, v, o or MLA's "
                + "projections, FFN and expert matrices) are also cast to FP8";
        if (training.precision().fp8() == Fp8Recipe.TENSORWISE) {
            return training.precision() + " (Transformer Engine delayed scaling on Hopper): " + common
                    + " and cached with their FP8 transposes across micro-batches (1 + 1 B per element); each linear "
                    + "layer keeps 5 FP8 tensors' scaling state (input, weight, output, output gradient, input gradient: "
                    + "an fp32 amax history of " + Fp8Recipe.AMAX_HISTORY + " plus scale and inverse scale, (1,024 + 2) × "
                    + "4 B each). Embedding, LM head, routers and norms stay bf16, and so do their GEMMs and attention's. "
                    + "Under ZeRO-3 the FP8 copies are partitioned like the weights. FP8 primary weights "
                    + "(--fp8-param-gather, no bf16 copy) are not modelled.";
        }
        return training.precision() + " (DeepSeek-V3 §3.3 fine-grained FP8): " + common + " once (1 B per element) with "
                + "an fp32 scale per 128 × 128 block; the transpose the input-gradient GEMM reads is re-laid out per GEMM, "
                + "not kept, and scales are computed online (no amax history). DeepSeek-V3's BF16 moments are optimizer "
                + "ADAMW_BF16_MOMENTS" + (training.optimizer() == Optimizer.ADAMW_BF16_MOMENTS ? " (this run)"
                        : "; this run keeps " + training.optimizer().stateFormat()) + ".";
    }

    /** Adafactor's and Muon's states, tensor by tensor, with the whole model's figures. */
    static String shapedOptimizerAssumption(Training training, Architecture model) {
        LocalParameters whole = ParameterPlacement.stages(model, Parallelism.NONE).get(0);
        List<WeightMatrix> matrices = whole.matrices();
        return switch (training.optimizer()) {
            case ADAFACTOR, ADAFACTOR_MOMENTUM -> training.optimizer() + " (Shazeer & Stern 2018; transformers' Adafactor"
                    + (training.optimizer() == Optimizer.ADAFACTOR ? " default beta1 = None: no first moment"
                            : " with beta1 set: a full fp32 first moment, 4 B per parameter")
                    + "): every 2-D weight matrix (q, k, v, o, gate, up, down and each expert's, as separate Hugging Face "
                    + "modules; routers, embedding, LM head) keeps a factored fp32 second moment of rows + columns values "
                    + "(a 4,096 × 11,008 matrix: 15,104 values, not 45,088,768), every vector (norms, biases) a full fp32 "
                    + "one; whole model: " + Exact.add("q", ShapedOptimizerStates.factoredSecondMoment(matrices, false),
                            ShapedOptimizerStates.factoredSecondMoment(matrices, true))
                    + " factored values + " + Exact.add("q", ShapedOptimizerStates.vectorParameters(matrices, false,
                            whole.dense()), ShapedOptimizerStates.vectorParameters(matrices, true, whole.expert()))
                    + " vector values. Tensor-parallel slices are factored as each rank holds them; under ZeRO the states "
                    + "are partitioned like a flat buffer (a real partition keeps whole rows and columns per rank: a few "
                    + "values apart). The per-tensor step count and RMS scalars are not counted.";
            case MUON -> {
                long muon = Exact.add("q", ShapedOptimizerStates.muonParameters(matrices, false),
                        ShapedOptimizerStates.muonParameters(matrices, true));
                yield "MUON (Jordan et al. 2024 reference; Liu et al. 2025 'Muon is Scalable for LLM Training'): one fp32 "
                        + "momentum per parameter of the hidden 2-D matrices (attention, FFN, expert and router matrices: "
                        + muon + " of the model's " + whole.total() + " parameters); embeddings, LM head, norms and biases ("
                        + (whole.total() - muon) + ") use AdamW with fp32 momentum and variance, as both implementations "
                        + "split them. Newton–Schulz orthogonalization, 5 iterations of 4m²n + 2m³ FLOPs per m × n matrix "
                        + "(m ≤ n): " + ShapedOptimizerStates.newtonSchulzFlopsPerStep(model) + " FLOPs per optimizer step "
                        + "for the whole model (newtonSchulzFlopsPerStep); not yet in the step time.";
            }
            default -> throw new IllegalArgumentException(training.optimizer() + " does not depend on shapes");
        };
    }
}
