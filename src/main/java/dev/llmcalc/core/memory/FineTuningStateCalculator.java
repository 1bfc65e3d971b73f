package dev.llmcalc.core.memory;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.memory.ModelStateBytes;
import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.run.AdapterCount;
import dev.llmcalc.core.run.AdapterCounter;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Quantization;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingMethod;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Exact;

/**
 * Model states of LoRA (Hu et al. 2021) and QLoRA (Dettmers et al. 2023) runs: frozen weights without
 * gradients or optimizer states, and adapters trained like any parameter under the training's precision,
 * optimizer and ZeRO stage, placed over tensor, pipeline and expert ranks like the weights they adapt.
 */
public final class FineTuningStateCalculator {

    private static final String F = "perGpu.frozenWeightsBytes";

    private static final String L = "localParameters";

    private FineTuningStateCalculator() {
    }

    /** The most-loaded GPU: the stage whose model states are largest (the first of equals). */
    public static FineTuningStates perGpu(Architecture model, Training training, FineTuning fineTuning,
            Parallelism parallelism) {
        FineTuningStates busiest = null;
        for (FineTuningStates stage : stages(model, training, fineTuning, parallelism)) {
            if (busiest == null || stage.totalBytes() > busiest.totalBytes()) {
                busiest = stage;
            }
        }
        return busiest;
    }

    /** Model states of one GPU of each pipeline stage, first stage first. */
    public static List<FineTuningStates> stages(Architecture model, Training training, FineTuning fineTuning,
            Parallelism parallelism) {
        require(fineTuning.isAdapter(), "method", "must be LORA or QLORA here; FULL uses the full-training model states");
        AdapterCount count = AdapterCounter.count(model, fineTuning);
        Placement placement = Placement.of(model, fineTuning, parallelism);
        long buffer = placement.quantized() ? dequantizationBufferBytes(model, training, parallelism) : 0;
        List<FineTuningStates> stages = new ArrayList<>(placement.base().size());
        for (int k = 0; k < placement.base().size(); k++) {
            LocalParameters frozen = placement.base().get(k);
            LocalParameters adapter = placement.adapters().get(k);
            long frozenBytes = frozenWeightsBytes(frozen, placement.matrices(k), training, fineTuning, parallelism);
            ModelStateBytes adapterStates = ModelStateCalculator.perGpu(adapter, training, parallelism);
            LocalParameters local = new LocalParameters(Exact.add(L, frozen.dense(), adapter.dense()),
                    Exact.add(L, frozen.expert(), adapter.expert()), k, frozen.layers());
            stages.add(new FineTuningStates(frozenBytes, adapterStates, buffer, count, local));
        }
        return List.copyOf(stages);
    }

    /** The run as data-parallel traffic sees it: each stage's adapters and frozen weight bytes before ZeRO. */
    public static FrozenBase frozenBase(Architecture model, Training training, FineTuning fineTuning,
            Parallelism parallelism) {
        require(fineTuning.isAdapter(), "method", "must be LORA or QLORA here; FULL has no frozen base");
        Placement placement = Placement.of(model, fineTuning, parallelism);
        List<FrozenBase.Stage> stages = new ArrayList<>(placement.base().size());
        for (int k = 0; k < placement.base().size(); k++) {
            LocalParameters frozen = placement.base().get(k);
            LocalParameters adapter = placement.adapters().get(k);
            LocalParameters quantized = placement.matrices(k);
            stages.add(new FrozenBase.Stage(adapter.dense(), adapter.expert(),
                    storedBytes(frozen.dense(), quantized == null ? 0 : quantized.dense(), training, fineTuning),
                    storedBytes(frozen.expert(), quantized == null ? 0 : quantized.expert(), training, fineTuning)));
        }
        return new FrozenBase(stages);
    }

    /**
     * Where a fine-tuning run's parameters sit, per pipeline stage: the base weights as in full training, the
     * adapters, and for QLoRA the layer matrices stored quantized ({@code null} for LoRA).
     */
    private record Placement(List<LocalParameters> base, List<LocalParameters> adapters,
            List<LocalParameters> quantizedMatrices) {

        // adapters first: an unsupported target is reported before a layout that does not fit the model
        static Placement of(Architecture model, FineTuning fineTuning, Parallelism parallelism) {
            List<LocalParameters> adapters = AdapterCounter.stages(model, fineTuning, parallelism);
            List<LocalParameters> base = ParameterPlacement.stages(model, parallelism);
            return new Placement(base, adapters, fineTuning.method() == TrainingMethod.QLORA
                    ? ParameterPlacement.stageLayerMatrices(model, parallelism) : null);
        }

        boolean quantized() {
            return this.quantizedMatrices != null;
        }

        /** Stage k's quantized layer matrices, or {@code null} for LoRA. */
        LocalParameters matrices(int k) {
            return this.quantizedMatrices == null ? null : this.quantizedMatrices.get(k);
        }
    }

    // Hu et al. 2021 §4.2: frozen W0 kept at the working weight precision; Dettmers et al. 2023 §3: QLoRA stores the
    // linear matrices block-wise quantized and the rest (embedding, LM head, norms, biases, routers) at 16 bits;
    // ZeRO-3 partitions them like any weight (dense over data × context, experts over data × context / expert)
    static long frozenWeightsBytes(LocalParameters frozen, LocalParameters quantizedMatrices, Training training,
            FineTuning fineTuning, Parallelism parallelism) {
        boolean sharded = training.zeroStage().shardsWeights();
        long denseDegree = training.denseShardingDegree(parallelism);
        long expertDegree = training.expertShardingDegree(parallelism);
        if (!sharded || denseDegree == expertDegree || frozen.expert() == 0) {
            long quantized = quantizedMatrices == null ? 0 : quantizedMatrices.total();
            long bytes = storedBytes(frozen.total(), quantized, training, fineTuning);
            return sharded ? Exact.ceilDiv(bytes, denseDegree) : bytes;
        }
        long dense = storedBytes(frozen.dense(), quantizedMatrices == null ? 0 : quantizedMatrices.dense(), training,
                fineTuning);
        long expert = storedBytes(frozen.expert(), quantizedMatrices == null ? 0 : quantizedMatrices.expert(), training,
                fineTuning);
        return Exact.add(F, Exact.ceilDiv(dense, denseDegree), Exact.ceilDiv(expert, expertDegree));
    }

    /** {@code parameters} frozen weights of which {@code quantized} are stored in the QLoRA format. */
    private static long storedBytes(long parameters, long quantized, Training training, FineTuning fineTuning) {
        DType working = training.precision().weights();
        long quantizedBytes = quantized == 0 ? 0 : fineTuning.quantization().bytesFor(quantized);
        return Exact.add(F, working.bytesFor(F, parameters - quantized), quantizedBytes);
    }

    // Dettmers et al. 2023 §3: matmuls dequantize the storage type to the 16-bit compute type one matrix at a time;
    // the largest matrix of a layer bounds that buffer (its 1/t slice under tensor parallelism; MLA's replicated
    // down-projections may be the largest, so MLA keeps the whole matrix as an upper bound)
    static long dequantizationBufferBytes(Architecture model, Training training, Parallelism parallelism) {
        long largest = AdapterCounter.largestLayerMatrix(model);
        long local = model.hasMla() ? largest : Exact.ceilDiv(largest, parallelism.tensor());
        return training.precision().weights().bytesFor("perGpu.dequantizationBufferBytes", local);
    }

    /** What a fine-tuning model-state estimate assumes, in words. */
    public static List<String> assumptions(Training training, FineTuning fineTuning, Parallelism parallelism) {
        List<String> list = new ArrayList<>();
        list.add(fineTuning.method() + " (Hu et al. 2021): adapters B·A of rank " + fineTuning.rank() + " on "
                + String.join(", ", fineTuning.targetModules().stream().map(TargetModule::id).toList())
                + ", r·(d_in + d_out) parameters per adapted matrix per layer (k and v use the key/value width g·d; "
                + "gate, up and down every routed and shared expert of a MoE layer); alpha " + fineTuning.alpha()
                + " only scales the update (α/r) and costs no memory; adapters have no bias.");
        list.add("Frozen base weights keep no gradients and no optimizer states; they are stored once per GPU "
                + (training.zeroStage().shardsWeights() ? "and partitioned by ZeRO-3"
                        + ModelStateCalculator.shardingGroups(training, parallelism) : "(replicated over data-parallel ranks)")
                + ".");
        list.add("Adapters are trained like full parameters: weights " + training.weightBytes() + " + gradients "
                + training.gradientBytes() + " + optimizer " + training.optimizerBytesPerParameter()
                + " bytes per parameter (fp32 master included when mixed), partitioned by ZeRO-"
                + training.zeroStage().number() + " exactly as in full training.");
        if (fineTuning.method() == TrainingMethod.LORA) {
            list.add("LORA keeps the frozen weights at the training's weight precision (" + training.precision().weights()
                    + ").");
        }
        else {
            Quantization quantization = fineTuning.quantization();
            list.add("QLORA (Dettmers et al. 2023 §3) stores every linear matrix inside the layers (attention and FFN, "
                    + "all experts) as " + quantization.format() + " in blocks of " + quantization.blockSize()
                    + (quantization.doubleQuantization() ? " with double quantization (8-bit block constants, one fp32 "
                            + "constant per " + Quantization.SECOND_LEVEL_BLOCK_SIZE + " of them)"
                            : " with one fp32 absmax constant per block")
                    + ": " + quantization.formula() + "; the token embedding, LM head, norms, biases and routers stay at "
                    + training.precision().weights() + ".");
            list.add("QLORA adds one dequantization buffer: the largest weight matrix of one layer at "
                    + training.precision().weights() + ". Paged optimizers and their CPU offload are not modelled.");
        }
        if (parallelism.tensor() > 1 || parallelism.pipeline() > 1 || parallelism.expert() > 1) {
            list.add("Placement (Megatron layout, as for full training): frozen weights split over tensor, pipeline and "
                    + "expert ranks as in full training; each adapter split t = " + parallelism.tensor() + " ways like "
                    + "the matrix it adapts (NeMo's ParallelLinearAdapter: A and B column/row-parallel, r-wide "
                    + "intermediates gathered), on its layer's pipeline stage, expert adapters with their experts; the "
                    + "embedding adapter on the first stage and the LM-head adapter on the last; the most-loaded stage "
                    + "is reported" + (fineTuning.method() == TrainingMethod.QLORA
                            ? "; the dequantization buffer is the largest matrix's 1/t slice" : "") + ".");
        }
        list.add("The plan search does not model fine-tuning yet (POST /api/v1/checks does).");
        list.add("documentFormula is the source document's full-training formula for Φ, shown for comparison only.");
        return List.copyOf(list);
    }
}
