package dev.llmcalc.core.memory;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.AdapterCounter;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.Units;

/**
 * Checkpoint sizes and save times. A full training checkpoint holds what resuming needs: the working weights, the
 * fp32 master copy and the optimizer states (BigScience BLOOM-176B: 2Φ bf16 weights + 12Φ fp32 master and Adam
 * moments ≈ 2.3 TB); gradients are recomputed and not saved. Every rank writes its own shard in parallel (DeepSpeed's
 * per-rank ZeRO files, Megatron's distributed checkpoint), so the shard of the most-loaded rank and the busiest node
 * bound the save time.
 */
public final class CheckpointCalculator {

    private static final double SECONDS_PER_MINUTE = 60;

    private CheckpointCalculator() {
    }

    /**
     * @param model the architecture, or null for a raw parameter count
     * @param parameters Φ (used when {@code model} is null)
     * @param everyMinutes minutes of training between saves, or null
     */
    public static Checkpoint estimate(Architecture model, long parameters, Training training, FineTuning fineTuning,
            Parallelism parallelism, int gpusPerNode, DType exportType, CheckpointStorage storage,
            Double everyMinutes) {
        require(everyMinutes == null || (everyMinutes > 0 && Double.isFinite(everyMinutes)), "checkpointEveryMinutes",
                "must be a positive number of minutes");
        require(gpusPerNode >= 1, "gpusPerNode", "must be at least 1");
        long phi = model != null ? ParameterCounter.count(model).totalParameters() : parameters;
        long trained;
        long perRank;
        if (model == null) {
            ModelStateBytes rank = ModelStateCalculator.forParameterCount(phi, training, parallelism).perGpu();
            trained = phi;
            perRank = shard(rank);
        }
        else {
            GpuModelStates states = ModelStateCalculator.forModel(model, training, fineTuning, parallelism);
            trained = fineTuning.isAdapter() ? AdapterCounter.count(model, fineTuning).trainableParameters() : phi;
            perRank = shard(states instanceof AdapterModelStates adapters ? adapters.states().adapters()
                    : ((ModelStates) states).perGpu());
        }
        long weights = weightsBytes(trained, training);
        long master = masterWeightsBytes(trained, training);
        long optimizer = training.optimizer().dependsOnShapes() && model != null && !fineTuning.isAdapter()
                ? ShapedOptimizerStates.wholeModel(model, training.optimizer()) : optimizerStatesBytes(trained, training);
        long total = Exact.sum("checkpoint.totalBytes", weights, master, optimizer);
        long ranks = parallelism.gpuCount();
        long ranksPerNode = Math.min(gpusPerNode, ranks);
        long perNode = Math.min(total, Exact.multiply("checkpoint.perNodeBytes", perRank, ranksPerNode));
        long export = exportBytes(phi, exportType);
        Double node = storage.writeBandwidthPerNode() != null ? writeSeconds(perNode, storage.writeBandwidthPerNode())
                : null;
        Double aggregate = storage.aggregateWriteBandwidth() != null
                ? writeSeconds(total, storage.aggregateWriteBandwidth()) : null;
        Double save = storage.known() ? saveSeconds(node, aggregate) : null;
        Double fraction = save != null && everyMinutes != null ? savingFraction(save, everyMinutes) : null;
        return new Checkpoint(phi, trained, weights, master, optimizer, total, ranks, perRank, ranksPerNode, perNode,
                export, Units.toGiB(total), Units.toGiB(export), node, aggregate, save, everyMinutes, fraction,
                assumptions(training, fineTuning, exportType, storage, everyMinutes));
    }

    // seed §3 / Rajbhandari et al. 2019 §3.1: working weights, 2Φ (bf16/fp16) or 4Φ (fp32)
    static long weightsBytes(long trained, Training training) {
        return Exact.multiply("checkpoint.weightsBytes", trained, training.weightBytes());
    }

    // Micikevicius et al. 2018: mixed precision keeps an fp32 master copy, 4Φ (none under FP32)
    static long masterWeightsBytes(long trained, Training training) {
        return Exact.multiply("checkpoint.masterWeightsBytes", trained,
                training.precision().masterCopy() ? DType.FP32.bits() / 8 : 0);
    }

    // Kingma & Ba 2015: Adam's fp32 momentum and variance, 8Φ (SGD with momentum 4Φ, 8-bit Adam 2Φ, SGD 0)
    static long optimizerStatesBytes(long trained, Training training) {
        return training.optimizer().stateBytes("checkpoint.optimizerStatesBytes", trained);
    }

    // a rank's shard: its weights and its optimizer states incl. the master copy (gradients are not saved)
    static long shard(ModelStateBytes rank) {
        return Exact.add("checkpoint.perRankBytes", rank.weightsBytes(), rank.optimizerStatesBytes());
    }

    // weights-only export: Φ × the export type's width (INT4: half a byte, rounded up to whole bytes)
    static long exportBytes(long phi, DType type) {
        return type.bytesFor("checkpoint.exportBytes", phi);
    }

    // time to write = bytes / write bandwidth
    static double writeSeconds(long bytes, double bytesPerSecond) {
        return bytes / bytesPerSecond;
    }

    // every node writes at once: the save ends when the busiest node and the storage system as a whole are done
    static double saveSeconds(Double nodeSeconds, Double aggregateSeconds) {
        return Math.max(nodeSeconds != null ? nodeSeconds : 0, aggregateSeconds != null ? aggregateSeconds : 0);
    }

    // a synchronous save stalls training: share of wall-clock = save / (interval + save)
    static double savingFraction(double saveSeconds, double everyMinutes) {
        return saveSeconds / (everyMinutes * SECONDS_PER_MINUTE + saveSeconds);
    }

    private static List<String> assumptions(Training training, FineTuning fineTuning, DType exportType,
            CheckpointStorage storage, Double everyMinutes) {
        List<String> assumptions = new ArrayList<>();
        assumptions.add("A full training checkpoint holds the working weights (" + training.weightBytes()
                + " B per parameter), " + (training.precision().masterCopy() ? "the fp32 master copy (4 B) " : "no master copy ")
                + "and the optimizer states (" + training.optimizer() + ": " + training.optimizer().stateBytes()
                + " B); gradients and activations are not saved, nor are the data loader's and RNG states (a few MB).");
        if (fineTuning.isAdapter()) {
            assumptions.add(fineTuning.method() + ": the training checkpoint holds the adapters' states only (as PEFT "
                    + "saves them); the frozen base weights are not rewritten. The export is the merged model.");
        }
        assumptions.add("Every rank writes its own shard at once; a rank's shard is its weights (its tensor and pipeline "
                + "slice, its ZeRO-3 partition) plus its ZeRO partition of master weights and optimizer states; replicated "
                + "weights are written by one data-parallel rank. The busiest node writes ranksPerNode × the largest shard "
                + "(an upper bound).");
        assumptions.add("The export is the weights alone at " + exportType + " (" + exportType.bits()
                + " bits per parameter, no quantization scales).");
        if (!storage.known()) {
            assumptions.add("No storage bandwidth given (storage.writeBandwidthPerNode, storage.aggregateWriteBandwidth): "
                    + "no save time is reported.");
        }
        else if (everyMinutes == null) {
            assumptions.add("No checkpointEveryMinutes given: no share of training time spent saving.");
        }
        else {
            assumptions.add("Saving is synchronous (training waits): share of time = save / (interval + save). An "
                    + "asynchronous save (a copy to host memory, then written in the background) stalls only for the copy.");
        }
        return List.copyOf(assumptions);
    }
}
