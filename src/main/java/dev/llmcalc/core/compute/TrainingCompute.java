package dev.llmcalc.core.compute;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.Set;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.Exact;

/**
 * The FLOPs of one training run. With an architecture the detailed per-token count is known; with
 * only a parameter count, 6·N per token is all there is.
 *
 * @param parameters N of 6·N·D: all parameters of a dense model, the active ones of an MoE model
 * @param tokens D, training tokens
 * @param forwardPerToken the detailed forward FLOPs of one token, or {@code null} without an architecture
 * @param recomputation what the backward pass recomputes (hardware FLOPs only)
 * @param adapters LoRA / QLoRA adapters' forward FLOPs per token, or {@code null} for full training (then every
 *        weight gets a gradient)
 * @param selectiveRecomputedPerToken the forward FLOPs of one token that SELECTIVE recomputation runs again: the
 *        attention core, or the matmuls of the chosen recompute modules
 */
public record TrainingCompute(long parameters, long tokens, ForwardFlops forwardPerToken,
        Recomputation recomputation, AdapterFlops adapters, long selectiveRecomputedPerToken) {

    /** Full training: every weight gets a gradient. */
    public TrainingCompute(long parameters, long tokens, ForwardFlops forwardPerToken, Recomputation recomputation) {
        this(parameters, tokens, forwardPerToken, recomputation, null);
    }

    /** Selective recomputation rebuilds the attention core (Korthikanti et al. 2022 §4.2). */
    public TrainingCompute(long parameters, long tokens, ForwardFlops forwardPerToken, Recomputation recomputation,
            AdapterFlops adapters) {
        this(parameters, tokens, forwardPerToken, recomputation, adapters,
                forwardPerToken == null ? 0 : forwardPerToken.attentionScores());
    }

    public TrainingCompute {
        require(parameters >= 1, "parameters", "must be at least 1");
        require(tokens >= 1, "tokens", "must be at least 1");
        require(recomputation != null, "recomputation", "must be NONE, SELECTIVE or FULL");
        require(adapters == null || forwardPerToken != null, "training.method", "LoRA needs the model's architecture");
        require(selectiveRecomputedPerToken >= 0, "activations.recomputeModules", "must not recompute negative FLOPs");
    }

    /** A LoRA or QLoRA run: frozen base weights, trained adapters (full training when the method is FULL). */
    public static TrainingCompute forFineTuning(Architecture model, long tokens, int sequenceLength, boolean causal,
            Recomputation recomputation, FineTuning fineTuning) {
        return forFineTuning(model, tokens, sequenceLength, causal, recomputation, Set.of(), fineTuning);
    }

    /** As above, with selective recomputation of {@code recomputeModules} (empty: the attention core). */
    public static TrainingCompute forFineTuning(Architecture model, long tokens, int sequenceLength, boolean causal,
            Recomputation recomputation, Set<RecomputeModule> recomputeModules, FineTuning fineTuning) {
        TrainingCompute base = forModel(model, tokens, sequenceLength, causal, recomputation);
        return new TrainingCompute(base.parameters, tokens, base.forwardPerToken, recomputation,
                fineTuning.isAdapter() ? AdapterFlops.forwardPerToken(model, fineTuning) : null,
                TrainingFlops.selectiveRecomputedPerToken(model, base.forwardPerToken, recomputeModules));
    }

    /**
     * One optimizer step of a run: the global batch's tokens (b_global · s), with its method's FLOPs (LoRA / QLoRA:
     * no weight gradients for frozen weights) and recomputation.
     */
    public static TrainingCompute ofStep(TrainingRun run, boolean causal) {
        BatchShape batch = run.batch();
        long tokens = Exact.multiply("tokens", batch.globalBatchSize(), batch.sequenceLength());
        return forFineTuning(run.model(), tokens, Math.toIntExact(Math.min(batch.sequenceLength(), Integer.MAX_VALUE)),
                causal, run.options().recomputation(), run.options().recomputeModules(), run.fineTuning());
    }

    public boolean isFineTuning() {
        return this.adapters != null;
    }

    /** A run of a known architecture; N is its active parameters per token (all of them when dense). */
    public static TrainingCompute forModel(Architecture model, long tokens, int sequenceLength, boolean causal,
            Recomputation recomputation) {
        return new TrainingCompute(ParameterCounter.count(model).activeParametersPerToken(), tokens,
                TrainingFlops.forwardPerToken(model, sequenceLength, causal), recomputation);
    }

    /** A run known only by its parameter count. */
    public static TrainingCompute forParameters(long parameters, long tokens, Recomputation recomputation) {
        return new TrainingCompute(parameters, tokens, null, recomputation);
    }

    public boolean hasArchitecture() {
        return this.forwardPerToken != null;
    }

    // seed §2: C ≈ 6·N·D
    public double sixNdFlops() {
        return TrainingFlops.sixND(this.parameters, this.tokens);
    }

    /** Forward FLOPs of one token: the detailed count, or 2·N (a multiply-add per parameter) without an architecture. */
    private double forwardFlopsPerToken() {
        return hasArchitecture() ? this.forwardPerToken.total() : 2.0 * this.parameters;
    }

    /**
     * Model FLOPs of one token: 3 × the forward (the backward costs twice the forward); 6·N without an architecture;
     * for LoRA the forward F + A plus the backward F + S + 2·A, i.e. 2·F + S + 3·A.
     */
    public double flopsPerToken() {
        if (isFineTuning()) {
            return forwardPassFlopsPerToken() + backwardFlopsPerToken();
        }
        return TrainingFlops.TRAINING_PASSES * forwardFlopsPerToken();
    }

    /** Forward FLOPs of one token as trained: the model's, plus the adapters' for LoRA (F + A). */
    public double forwardPassFlopsPerToken() {
        return isFineTuning() ? (double) this.forwardPerToken.total() + this.adapters.total() : forwardFlopsPerToken();
    }

    // Hu et al. 2021 §4.2 (no gradients for frozen weights): the backward computes input gradients through every
    // frozen matmul (1 × its forward), both operand gradients of QKᵀ and P·V (2·S) and the adapters' input and weight
    // gradients (2·A): F + S + 2·A per token, against 2 × the forward for full training
    public double backwardFlopsPerToken() {
        if (isFineTuning()) {
            return (double) this.forwardPerToken.total() + this.forwardPerToken.attentionScores()
                    + 2.0 * this.adapters.total();
        }
        return 2.0 * forwardFlopsPerToken();
    }

    /** Full training's model FLOPs of one token for the same model, to compare a LoRA run with. */
    public double fullTrainingFlopsPerToken() {
        return TrainingFlops.TRAINING_PASSES * forwardFlopsPerToken();
    }

    /** A fine-tuning run's FLOPs per token as a fraction of full training's (1 for full training). */
    public double ratioToFullTraining() {
        return flopsPerToken() / fullTrainingFlopsPerToken();
    }

    /** Model FLOPs of the run (what MFU counts): detailed when the architecture is known, else 6·N·D. */
    public double trainingFlops() {
        return hasArchitecture() ? flopsPerToken() * this.tokens : sixNdFlops();
    }

    /** The detailed model FLOPs, or {@code null} without an architecture. */
    public Double detailedTrainingFlops() {
        return hasArchitecture() ? trainingFlops() : null;
    }

    // Narayanan et al. 2021 eq. 3: hardware FLOPs add the forward work recomputed in the backward pass
    // (full recomputation: 4 forward passes of every layer, not the LM head, instead of 3; 8·N·D without an
    // architecture, where selective recomputation adds nothing as the attention term is unknown); Korthikanti et al.
    // 2022 §4.2: selective recomputation re-runs the attention core, or Megatron-Core's chosen recompute modules
    public double hardwareTrainingFlops() {
        double recomputedPerToken;
        if (hasArchitecture()) {
            recomputedPerToken = switch (this.recomputation) {
                case NONE -> 0;
                case SELECTIVE -> this.selectiveRecomputedPerToken;
                case FULL -> this.forwardPerToken.layers();
            };
            if (isFineTuning() && this.recomputation == Recomputation.FULL) {
                // the adapters inside the layers run again with them
                recomputedPerToken += this.adapters.layers();
            }
        }
        else {
            recomputedPerToken = this.recomputation == Recomputation.FULL ? forwardFlopsPerToken() : 0;
        }
        return trainingFlops() + recomputedPerToken * this.tokens;
    }

    public DocumentFormula documentFormula() {
        return TrainingFlops.sixNDFormula(this.parameters, this.tokens,
                hasArchitecture() ? trainingFlops() : Double.NaN, isFineTuning());
    }
}
