package dev.llmcalc.core.finetune;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.memory.ModelStateBytes;
import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.memory.Training;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Exact;

/**
 * Model states of LoRA (Hu et al. 2021) and QLoRA (Dettmers et al. 2023) runs: frozen weights without
 * gradients or optimizer states, and adapters trained like any parameter under the training's precision,
 * optimizer and ZeRO stage. Data and context parallelism only, for now.
 */
public final class FineTuningStateCalculator {

    private FineTuningStateCalculator() {
    }

    public static FineTuningStates perGpu(Architecture model, Training training, FineTuning fineTuning,
            Parallelism parallelism) {
        require(fineTuning.isAdapter(), "method", "must be LORA or QLORA here; FULL uses the full-training model states");
        String why = "must be 1 with method " + fineTuning.method()
                + " (adapter placement over tensor, pipeline and expert ranks is not modelled yet)";
        require(parallelism.tensor() == 1, "parallelism.tensor", why);
        require(parallelism.pipeline() == 1, "parallelism.pipeline", why);
        require(parallelism.expert() == 1, "parallelism.expert", why);
        AdapterCount count = AdapterCounter.count(model, fineTuning);
        long frozen = frozenWeightsBytes(count, training, fineTuning);
        long shards = parallelism.denseShardingDegree();
        long frozenPerGpu = training.zeroStage().shardsWeights() ? Exact.ceilDiv(frozen, shards) : frozen;
        ModelStateBytes adapters = ModelStateCalculator.perGpu(
                new LocalParameters(count.trainableParameters(), 0, 0, model.numLayers()), training, parallelism);
        long buffer = fineTuning.method() == TrainingMethod.QLORA ? dequantizationBufferBytes(count, training) : 0;
        return new FineTuningStates(frozenPerGpu, adapters, buffer, count);
    }

    // Hu et al. 2021 §4.2: frozen W0 kept at the working weight precision; Dettmers et al. 2023 §3: QLoRA stores the
    // linear matrices block-wise quantized and the rest (embedding, LM head, norms, biases, routers) at 16 bits
    static long frozenWeightsBytes(AdapterCount count, Training training, FineTuning fineTuning) {
        DType working = training.precision().weights();
        long unquantized = count.frozenParameters() - count.quantizedParameters();
        long quantizedBytes = count.quantizedParameters() == 0 ? 0
                : fineTuning.quantization().bytesFor(count.quantizedParameters());
        return Exact.add("perGpu.frozenWeightsBytes", working.bytesFor("perGpu.frozenWeightsBytes", unquantized),
                quantizedBytes);
    }

    // Dettmers et al. 2023 §3: matmuls dequantize the storage type to the 16-bit compute type one matrix at a time;
    // the largest matrix of a layer bounds that buffer
    static long dequantizationBufferBytes(AdapterCount count, Training training) {
        return training.precision().weights().bytesFor("perGpu.dequantizationBufferBytes", count.largestLayerMatrix());
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
                + (training.zeroStage().shardsWeights() ? "and partitioned by ZeRO-3 over data × context = "
                        + parallelism.denseShardingDegree() + " ranks" : "(replicated over data-parallel ranks)")
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
        list.add("Only data and context parallelism are supported with " + fineTuning.method() + " so far; "
                + "communication and plan search do not model fine-tuning yet.");
        list.add("documentFormula is the source document's full-training formula for Φ, shown for comparison only.");
        return List.copyOf(list);
    }

    /**
     * The parameters one GPU holds before ZeRO partitioning: adapters run without tensor, pipeline or expert
     * parallelism, so every GPU holds the whole frozen model (experts apart) plus the adapters.
     */
    public static LocalParameters localParameters(Architecture model, AdapterCount count) {
        long expert = ParameterCounter.count(model).expertParameters();
        return new LocalParameters(Exact.add("localParameters.total", count.frozenParameters() - expert,
                count.trainableParameters()), expert, 0, model.numLayers());
    }
}
