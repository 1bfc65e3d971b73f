package dev.llmcalc.core.activation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.model.PositionEmbedding;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.Fp8Recipe;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.unit.Exact;

/**
 * Activation memory per GPU: the per-tensor ledger of one layer (spec §3a), times the layers and
 * in-flight micro-batches of each pipeline stage under 1F1B (Narayanan et al. 2021), plus what
 * lives outside the layers (input ids, final norm, LM-head input, the loss) on the stage that holds it.
 */
public final class ActivationCalculator {

    private static final String Q = ActivationLedger.QUANTITY;

    /** Token ids are int64. */
    private static final int TOKEN_ID_BYTES = 8;

    /** Bytes per logit of an fp32 log-softmax. */
    private static final int FP32_BYTES = 4;

    /** Bytes per logit of a 16-bit log-softmax. */
    private static final int HALF_BYTES = 2;

    private ActivationCalculator() {
    }

    public static ActivationEstimate estimate(Architecture m, BatchShape batch, ActivationOptions o, Parallelism par) {
        par.requireFits(m);
        LocalShape shape = localShape(m, batch, o, par);
        long microBatches = batch.microBatchesPerStep(par.data());

        List<LedgerEntry> dense = m.denseFfnLayers() > 0 ? LayerLedgers.layer(m, shape, o, false, o.recomputation())
                : List.of();
        List<LedgerEntry> moe = m.moeLayers() > 0 ? LayerLedgers.layer(m, shape, o, true, o.recomputation()) : List.of();
        boolean full = o.recomputation() == Recomputation.FULL;
        long rebuiltDense = full && m.denseFfnLayers() > 0
                ? ActivationLedger.total(LayerLedgers.layer(m, shape, o, false, Recomputation.NONE)) : 0;
        long rebuiltMoe = full && m.moeLayers() > 0
                ? ActivationLedger.total(LayerLedgers.layer(m, shape, o, true, Recomputation.NONE)) : 0;
        List<LedgerEntry> first = firstStage(m, shape, o);
        List<LedgerEntry> last = lastStage(m, shape, o);
        long logits = logitsTransient(m, shape, o);

        // stage totals by arithmetic; the tensor-by-tensor breakdown is built for the busiest stage only
        int p = par.pipeline();
        long[] kept = new long[p];
        long[] transients = new long[p];
        long[] inFlights = new long[p];
        long[] hosts = new long[p];
        int[] layerCounts = new int[p];
        int[] denseCounts = new int[p];
        int busiest = 0;
        int start = 0;
        for (int k = 0; k < p; k++) {
            int layers = Parallelism.layersOnStage(m.numLayers(), p, k);
            int denseLayers = m.denseFfnLayersIn(start, layers);
            int moeLayers = layers - denseLayers;
            long inFlight = microBatches > 0 ? Math.min(p - k, microBatches) : p - k;
            long bytes = Exact.add(Q, layerBytes(dense, denseLayers, inFlight, par),
                    layerBytes(moe, moeLayers, inFlight, par));
            if (o.offloadCheckpoints()) {
                // the checkpoints live in host memory; the GPU holds the two in transit
                hosts[k] = bytes;
                bytes = Math.min(bytes, checkpointsInTransit(dense, moe, denseLayers, moeLayers));
            }
            if (k == 0) {
                bytes = Exact.add(Q, bytes, Exact.multiply(Q, ActivationLedger.total(first), inFlight));
            }
            if (k == p - 1) {
                bytes = Exact.add(Q, bytes, Exact.multiply(Q, ActivationLedger.total(last), inFlight));
            }
            long transientBytes = full ? Math.max(denseLayers > 0 ? rebuiltDense : 0, moeLayers > 0 ? rebuiltMoe : 0) : 0;
            if (k == p - 1) {
                transientBytes = Math.max(transientBytes, logits);
            }
            kept[k] = bytes;
            transients[k] = transientBytes;
            inFlights[k] = inFlight;
            layerCounts[k] = layers;
            denseCounts[k] = denseLayers;
            if (Exact.add(Q, bytes, transientBytes) > Exact.add(Q, kept[busiest], transients[busiest])) {
                busiest = k;
            }
            start += layers;
        }
        List<StageActivations> stages = new ArrayList<>(p);
        for (int k = 0; k < p; k++) {
            stages.add(new StageActivations(k, layerCounts[k], inFlights[k], kept[k], transients[k], denseCounts[k],
                    hosts[k]));
        }
        StageActivations mostLoaded = stages.get(busiest);
        long perLayer = ActivationLedger.total(m.moeLayers() > 0 ? moe : dense);
        return new ActivationEstimate(perLayer, dense, moe, first, last, List.copyOf(stages), mostLoaded, m, batch, o,
                par, microBatches);
    }

    // DeepSpeed's cpu_checkpointing: each checkpoint goes to the host once written and comes back before its layer's
    // backward, so the GPU holds two layers' checkpoints of one micro-batch at a time (one leaving, one arriving)
    static long checkpointsInTransit(List<LedgerEntry> dense, List<LedgerEntry> moe, int denseLayers, int moeLayers) {
        long one = Math.max(denseLayers > 0 ? ActivationLedger.total(dense) : 0,
                moeLayers > 0 ? ActivationLedger.total(moe) : 0);
        return Exact.multiply(Q, 2, one);
    }

    /** A stage's kept bytes by tensor kind, adding up to its {@code keptBytes}. */
    static List<LedgerEntry> breakdown(ActivationEstimate e, StageActivations stage) {
        Map<String, Long> byTensor = new LinkedHashMap<>();
        if (stage.hostBytes() > 0) {
            long outside = (stage.pipelineStage() == 0 ? Exact.multiply(Q, ActivationLedger.total(e.firstStage()),
                    stage.inFlightMicroBatches()) : 0)
                    + (stage.pipelineStage() == e.parallelism().pipeline() - 1
                            ? Exact.multiply(Q, ActivationLedger.total(e.lastStage()), stage.inFlightMicroBatches()) : 0);
            byTensor.put("layer checkpoints in transit to or from host memory (the rest, " + stage.hostBytes()
                    + " bytes, on the host)", stage.keptBytes() - outside);
        }
        else {
            addLayers(byTensor, e.denseLayer(), stage.denseLayers(), stage.inFlightMicroBatches(), e.parallelism());
            addLayers(byTensor, e.moeLayer(), stage.layers() - stage.denseLayers(), stage.inFlightMicroBatches(),
                    e.parallelism());
        }
        if (stage.pipelineStage() == 0) {
            addOutside(byTensor, e.firstStage(), stage.inFlightMicroBatches());
        }
        if (stage.pipelineStage() == e.parallelism().pipeline() - 1) {
            addOutside(byTensor, e.lastStage(), stage.inFlightMicroBatches());
        }
        List<LedgerEntry> list = new ArrayList<>(byTensor.size());
        byTensor.forEach((tensor, bytes) -> list.add(new LedgerEntry(tensor, bytes)));
        return List.copyOf(list);
    }

    /** Bytes of {@code layers} layers of one kind for {@code inFlight} micro-batches, as {@link #addLayers} adds them. */
    private static long layerBytes(List<LedgerEntry> layer, int layers, long inFlight, Parallelism par) {
        long total = 0;
        for (LedgerEntry entry : layer) {
            total = Exact.add(Q, total, scaled(entry.bytes(), layers, inFlight, par));
        }
        return total;
    }

    private static long scaled(long bytesPerLayer, int layers, long inFlight, Parallelism par) {
        return interleaved(bytesPerLayer, layers, inFlight, par.pipeline(), par.virtualPipeline());
    }

    // 1F1B: stage k holds min(p − k, m) micro-batches of its layers; interleaving with v chunks holds
    // (1 + (p − 1)/(p·v)) times that (Megatron-LM theoretical_memory_usage, Korthikanti §4.2.3)
    static long interleaved(long bytesPerLayer, int layers, long inFlight, int pipeline, int virtualPipeline) {
        if (layers == 0) {
            return 0;
        }
        long bytes = Exact.multiply(Q, bytesPerLayer, layers, inFlight);
        if (virtualPipeline == 1) {
            return bytes;
        }
        long denominator = (long) pipeline * virtualPipeline;
        return Exact.ceilDiv(Exact.multiply(Q, bytes, denominator + pipeline - 1), denominator);
    }

    /**
     * Per-micro-batch totals for a layout search (see {@link ActivationProfile}); the parallelism's
     * tensor and context degrees matter, its data and pipeline degrees do not.
     */
    public static ActivationProfile profile(Architecture m, BatchShape batch, ActivationOptions o, Parallelism par) {
        LocalShape shape = localShape(m, batch, o, par);
        boolean full = o.recomputation() == Recomputation.FULL;
        List<LedgerEntry> denseLayer = m.denseFfnLayers() > 0
                ? LayerLedgers.layer(m, shape, o, false, o.recomputation()) : List.of();
        List<LedgerEntry> moeLayer = m.moeLayers() > 0 ? LayerLedgers.layer(m, shape, o, true, o.recomputation())
                : List.of();
        long rebuiltDense = full && m.denseFfnLayers() > 0
                ? ActivationLedger.total(LayerLedgers.layer(m, shape, o, false, Recomputation.NONE)) : 0;
        long rebuiltMoe = full && m.moeLayers() > 0
                ? ActivationLedger.total(LayerLedgers.layer(m, shape, o, true, Recomputation.NONE)) : 0;
        return new ActivationProfile(ActivationLedger.total(denseLayer), ActivationLedger.total(moeLayer),
                ActivationLedger.total(firstStage(m, shape, o)), ActivationLedger.total(lastStage(m, shape, o)),
                rebuiltDense, rebuiltMoe, logitsTransient(m, shape, o), entryBytes(denseLayer), entryBytes(moeLayer));
    }

    private static long[] entryBytes(List<LedgerEntry> layer) {
        long[] bytes = new long[layer.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = layer.get(i).bytes();
        }
        return bytes;
    }

    private static LocalShape localShape(Architecture m, BatchShape batch, ActivationOptions o, Parallelism par) {
        return new LocalShape(batch.microBatchSize(), batch.localSequenceLength(par, o.sequenceParallel()),
                batch.sequenceLength(), par.tensor());
    }

    private static void addLayers(Map<String, Long> kept, List<LedgerEntry> layer, int layers, long inFlight,
            Parallelism par) {
        for (LedgerEntry entry : layer) {
            long bytes = scaled(entry.bytes(), layers, inFlight, par);
            if (bytes > 0) {
                kept.merge(entry.tensor(), bytes, (a, b) -> Exact.add(Q, a, b));
            }
        }
    }

    private static void addOutside(Map<String, Long> kept, List<LedgerEntry> outside, long inFlight) {
        for (LedgerEntry entry : outside) {
            kept.merge(entry.tensor(), Exact.multiply(Q, entry.bytes(), inFlight), (a, b) -> Exact.add(Q, a, b));
        }
    }

    // §3a outside the layers: input ids 8R (int64), plus GPT-2's embedding dropout mask
    private static List<LedgerEntry> firstStage(Architecture m, LocalShape shape, ActivationOptions o) {
        ActivationLedger ledger = new ActivationLedger(shape.tensorParallel(), o.sequenceParallel());
        ledger.add("input ids (int64)", Split.REPLICATED, shape.tokens(), TOKEN_ID_BYTES);
        LayerLedgers.adapterIntermediates(ledger, o.adapters(), shape.tokens(), o.adapters().embedding() ? 1 : 0,
                o.elementBytes());
        if (o.residualDropout()) {
            ledger.add("embedding dropout mask", Split.SEQUENCE, Exact.multiply(Q, shape.tokens(), m.hiddenSize()), 1);
        }
        return ledger.entries();
    }

    // §3a outside the layers: final-norm input 2Rh, LM-head input 2Rh, loss 4·b·s·V (fp32 log-softmax) or 2·b·s·V
    private static List<LedgerEntry> lastStage(Architecture m, LocalShape shape, ActivationOptions o) {
        ActivationLedger ledger = new ActivationLedger(shape.tensorParallel(), o.sequenceParallel());
        long r = shape.tokens();
        long hidden = Exact.multiply(Q, r, m.hiddenSize());
        ledger.add("final-norm input", Split.SEQUENCE, hidden, o.elementBytes());
        ledger.add(LayerLedgers.NORM_STATISTICS, Split.SEQUENCE, r, m.norm() == NormType.RMS_NORM ? 4 : 8);
        ledger.add("LM-head input (final-norm output)", Split.SEQUENCE, hidden, o.elementBytes());
        LayerLedgers.adapterIntermediates(ledger, o.adapters(), r, o.adapters().lmHead() ? 1 : 0, o.elementBytes());
        // a scalar head's output is one value per token (its loss keeps no vocabulary-wide softmax)
        ledger.add(o.lossInFp32() ? "loss log-softmax (fp32)" : "loss log-softmax (16-bit)", Split.TENSOR,
                Exact.multiply(Q, r, m.scalarHead() ? 1 : m.vocabSize()), o.lossInFp32() ? FP32_BYTES : HALF_BYTES);
        return ledger.entries();
    }

    // the logits (16-bit) and, for an fp32 loss, their fp32 copy exist briefly before the log-softmax; vocab-parallel
    private static long logitsTransient(Architecture m, LocalShape shape, ActivationOptions o) {
        long logits = Exact.multiply(Q, shape.tokens(), m.scalarHead() ? 1 : m.vocabSize());
        long perLogit = o.elementBytes() + (o.lossInFp32() && o.elementBytes() < FP32_BYTES ? FP32_BYTES : 0);
        return Exact.ceilDiv(Exact.multiply(Q, logits, perLogit), shape.tensorParallel());
    }

    static long normStatistics(List<LedgerEntry> entries) {
        return entries.stream().filter((e) -> e.tensor().equals(LayerLedgers.NORM_STATISTICS))
                .mapToLong(LedgerEntry::bytes).sum();
    }

    // seed §3: M_act = L·[(10 + 4·g/a)·b·s·h + 8·b·s·f + 5·b·s²·a] + 4·b·s·h (bytes, 16-bit activations)
    static DocumentFormula documentFormula(Architecture m, BatchShape batch, long detailed) {
        BigDecimal b = BigDecimal.valueOf(batch.microBatchSize());
        BigDecimal s = BigDecimal.valueOf(batch.sequenceLength());
        BigDecimal h = BigDecimal.valueOf(m.hiddenSize());
        BigDecimal f = BigDecimal.valueOf(m.intermediateSize());
        BigDecimal a = BigDecimal.valueOf(m.numAttentionHeads());
        BigDecimal bsh = b.multiply(s).multiply(h);
        BigDecimal attention = Exact.quotient(
                BigDecimal.valueOf(10L * m.numAttentionHeads() + 4L * m.numKeyValueHeads()).multiply(bsh),
                m.numAttentionHeads());
        BigDecimal perLayer = attention.add(BigDecimal.valueOf(8).multiply(b).multiply(s).multiply(f))
                .add(BigDecimal.valueOf(5).multiply(b).multiply(s).multiply(s).multiply(a));
        BigDecimal value = BigDecimal.valueOf(m.numLayers()).multiply(perLayer).add(BigDecimal.valueOf(4).multiply(bsh));
        boolean exact = value.compareTo(BigDecimal.valueOf(detailed)) == 0;
        long b1 = batch.microBatchSize();
        long s1 = batch.sequenceLength();
        String substituted = m.numLayers() + "·[(10 + 4·" + m.numKeyValueHeads() + "/" + m.numAttentionHeads() + ")·"
                + b1 + "·" + s1 + "·" + m.hiddenSize() + " + 8·" + b1 + "·" + s1 + "·" + m.intermediateSize() + " + 5·"
                + b1 + "·" + s1 + "²·" + m.numAttentionHeads() + "] + 4·" + b1 + "·" + s1 + "·" + m.hiddenSize();
        String note = exact ? "exact for this request"
                : "whole model, one micro-batch, 16-bit, no parallelism or recomputation; its (10 + 4g/a)·bsh misses "
                        + "the MLP input (2·bsh), its 5·bs²·a is the softmax output with attention dropout (mask and "
                        + "dropped copy; 2·bs²·a without dropout, 0 with FlashAttention), its 4·bsh outside the layers "
                        + "leaves out the loss's 4·b·s·V; detailed value " + detailed + " bytes on the most-loaded GPU";
        return new DocumentFormula("seed §3 大模型训练过程中如何计算显存 (激活内存)",
                "M_act = L·[(10 + 4·g/a)·b·s·h + 8·b·s·f + 5·b·s²·a] + 4·b·s·h", substituted, value.doubleValue(),
                exact, note);
    }

    // Korthikanti et al. 2022, Table 2: per-layer bytes of a GPT block (4h GELU MLP, dropout, 16-bit, 1-byte masks)
    static DocumentFormula korthikanti(Architecture m, BatchShape batch, ActivationOptions o, Parallelism par,
            long detailedPerLayerWithoutStatistics) {
        boolean gptShaped = m.mlp() == MlpType.STANDARD && (long) m.intermediateSize() == 4L * m.hiddenSize()
                && m.numKeyValueHeads() == m.numAttentionHeads()
                && (long) m.numAttentionHeads() * m.headDim() == m.hiddenSize() && m.normsPerLayer() == 2
                && !m.parallelBlock() && !m.isMoe() && !m.hasMla() && !m.qkNorm() && par.context() == 1;
        if (!gptShaped) {
            return null;
        }
        BigDecimal sbh = BigDecimal.valueOf(batch.sequenceLength()).multiply(BigDecimal.valueOf(batch.microBatchSize()))
                .multiply(BigDecimal.valueOf(m.hiddenSize()));
        BigDecimal t = BigDecimal.valueOf(par.tensor());
        BigDecimal attention = BigDecimal.valueOf(5L * m.numAttentionHeads()).multiply(BigDecimal.valueOf(batch.sequenceLength()))
                .divide(BigDecimal.valueOf(m.hiddenSize()).multiply(t), MathContext.DECIMAL128);
        String expression;
        BigDecimal factor;
        if (o.recomputation() == Recomputation.FULL) {
            expression = o.sequenceParallel() ? "2·sbh/t" : "2·sbh";
            factor = o.sequenceParallel() ? BigDecimal.valueOf(2).divide(t, MathContext.DECIMAL128) : BigDecimal.valueOf(2);
        }
        else {
            boolean selective = o.recomputation() == Recomputation.SELECTIVE;
            if (o.sequenceParallel()) {
                expression = selective ? "sbh·34/t" : "sbh/t·(34 + 5as/h)";
                factor = BigDecimal.valueOf(34).divide(t, MathContext.DECIMAL128);
            }
            else {
                expression = selective ? "sbh·(10 + 24/t)" : "sbh·(10 + 24/t + 5as/(ht))";
                factor = BigDecimal.TEN.add(BigDecimal.valueOf(24).divide(t, MathContext.DECIMAL128));
            }
            if (!selective) {
                factor = factor.add(attention);
            }
        }
        BigDecimal value = sbh.multiply(factor);
        boolean exact = value.compareTo(BigDecimal.valueOf(detailedPerLayerWithoutStatistics)) == 0;
        String note = "per layer; the detailed ledger adds fp32 norm statistics (not in the paper's count)"
                + (o.dropout() && o.residualDropout() && o.attention() == AttentionKernel.EAGER
                        && o.elementBytes() == 2 ? "" : "; the paper assumes EAGER attention with attention and "
                                + "residual dropout and 16-bit activations, which this request does not")
                + (exact ? "; equal to the detailed value without them" : "");
        return new DocumentFormula("Korthikanti et al. 2022 (arXiv:2205.05198), Table 2", expression,
                expression + " with s=" + batch.sequenceLength() + ", b=" + batch.microBatchSize() + ", h="
                        + m.hiddenSize() + ", a=" + m.numAttentionHeads() + ", t=" + par.tensor(),
                value.doubleValue(), exact, note);
    }

    /** Which saved tensors FP8 training keeps in FP8 and which stay 16-bit. */
    static String fp8Assumption(ActivationOptions o) {
        return "FP8 linear inputs (Transformer Engine's Linear saves the FP8 cast of its input for the weight gradient; "
                + "DeepSeek-V3 §3.3.3 caches them in FP8): the attention input (QKV-projection input), the output-"
                + "projection input, the MLP input of dense layers, the down-projection input, MLA's up-projection "
                + "inputs and the dispatched expert inputs are kept at 1 byte per element (ledger lines marked [fp8])"
                + (o.fp8() == Fp8Recipe.BLOCKWISE ? ", each with an fp32 scale per 1 × 128 tile" : "")
                + "; norm inputs, queries, keys and values, attention statistics, gate and up outputs, the router's "
                + "input, the LM-head input and the loss stay " + o.activationType() + ".";
    }

    static List<String> assumptions(Architecture m, ActivationOptions o, Parallelism par, long microBatches) {
        List<String> list = new ArrayList<>();
        list.add("Per-tensor ledger of what autograd keeps for backward (spec §3a, matched to PyTorch saved-tensor "
                + "measurements): activations " + o.elementBytes() + " bytes per element (" + o.activationType()
                + "), dropout masks 1 byte, norm statistics and the router softmax in fp32, token ids int64.");
        if (o.fusedGatedActivation() && m.mlp() == MlpType.GATED) {
            list.add("Fused gated activation (activations.fusedGatedActivation, Megatron-Core's bias_swiglu_fusion): "
                    + "the FFN keeps the gate and up outputs and the product (the down projection's input), not the "
                    + "activation's output, which the fused kernel rebuilds in backward.");
        }
        if (o.fp8().any()) {
            list.add(fp8Assumption(o));
        }
        list.add(o.attention() == AttentionKernel.EAGER
                ? "EAGER attention keeps the b·a·s×s softmax output" + (o.dropout() ? ", the dropout mask and the dropped copy" : "")
                        + "; keys and values are kept at the " + m.numKeyValueHeads() + " key/value heads (a GQA-aware kernel)."
                : "FLASH attention keeps the fp32 log-sum-exp (4·b·a·s bytes) instead of the probabilities"
                        + (o.dropout() ? "; dropout masks are regenerated from the RNG state." : "."));
        list.add(switch (o.recomputation()) {
            case NONE -> "No recomputation: every layer keeps its full ledger.";
            case SELECTIVE -> "Selective recomputation: the attention core (softmax, dropout) is recomputed; Q, K, V are kept.";
            case FULL -> "Full recomputation: each layer keeps its input only; the one layer rebuilt during backward "
                    + "is reported as a transient peak.";
        });
        if (o.residualDropout()) {
            list.add("Residual dropout (after attention and MLP outputs, and on the embeddings) keeps 1-byte masks.");
        }
        list.add("Tensor parallel t = " + par.tensor() + ": tensors on split heads or the split FFN divide by t; "
                + "norm inputs, layer inputs and residual masks divide by t only with sequence parallelism ("
                + (o.sequenceParallel() ? "on" : "off") + "), as in Korthikanti et al. Table 2.");
        if (par.context() > 1) {
            list.add("Context parallel c = " + par.context() + ": each GPU holds s/c of the tokens; EAGER scores are "
                    + "(s/c)×s per head.");
        }
        list.add("Pipeline p = " + par.pipeline() + " under 1F1B: stage k holds min(p − k, m) micro-batches in flight"
                + (microBatches > 0 ? " (m = " + microBatches + " per step)" : " (m unknown: p − k)")
                + (par.virtualPipeline() > 1 ? ", times (1 + (p − 1)/(p·v)) with v = " + par.virtualPipeline()
                        + " interleaved chunks" : "")
                + "; layers spread as for the parameters (earlier stages take the remainder).");
        list.add("Outside the layers: input ids on the first stage; final-norm input, LM-head input and the loss's "
                + (o.lossInFp32() ? "fp32" : "16-bit") + " log-softmax (b·s·V) on the last; the logits exist "
                + "briefly before the log-softmax and count as a transient peak.");
        if (o.adapters().any()) {
            list.add("LoRA (Hu et al. 2021): the frozen base model keeps the same tensors as in full training (an upper "
                    + "bound: a linear layer whose weight gets no gradient needs only its output gradient, and kernels "
                    + "that skip saving its input, such as Transformer Engine's, keep less); each adapted matrix also "
                    + "keeps its r-wide intermediate x·A (r = " + o.adapters().rank() + ", " + o.elementBytes()
                    + " bytes per element) for B's gradient, whole on every tensor-parallel rank (gathered, as NeMo's "
                    + "ParallelLinearAdapter does); the adapter's input x is the frozen matrix's input, already counted; "
                    + "no LoRA dropout (PEFT's default lora_dropout 0).");
        }
        if (m.isMoe()) {
            list.add("MoE layers: token-choice top-" + m.moe().numExpertsPerToken() + " routing with gather/scatter "
                    + "dispatch, balanced load (each GPU processes its tokens' k expert passes on average).");
        }
        if (m.positionEmbedding() == PositionEmbedding.LEARNED || m.hasMla()) {
            list.add("Position tables and rotary caches are shared buffers and not counted.");
        }
        return List.copyOf(list);
    }
}
