package dev.llmcalc.core.compute;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.unit.Units;

/**
 * How long a run takes on a cluster at a given model FLOPs utilization (MFU), and what it costs.
 *
 * <p>MFU counts model FLOPs only (Chowdhery et al. 2022, PaLM, Appendix B): FLOPs the GPUs recompute
 * do not count as progress, so at a given MFU recomputation does not change the time; it raises the
 * hardware FLOPs utilization (HFU) the GPUs must reach, which cannot exceed 1.
 *
 * @param seconds wall-clock training time
 * @param gpuHours GPU count × hours
 * @param modelFlopsUtilization the MFU the time assumes
 * @param hardwareFlopsUtilization the share of peak the GPUs then execute, recomputation included
 */
public record TrainingTime(double seconds, double gpuHours, double modelFlopsUtilization,
        double hardwareFlopsUtilization) {

    public static TrainingTime of(TrainingCompute compute, Cluster cluster, double mfu) {
        require(mfu > 0 && mfu <= 1, "mfu", "must be greater than 0 and at most 1");
        double hfu = mfu * compute.hardwareTrainingFlops() / compute.trainingFlops();
        require(hfu <= 1, "mfu", String.format("is %s, but with %s recomputation the GPUs would then execute %.1f%% "
                + "of their peak; at most %.4f is possible", mfu, compute.recomputation(), hfu * 100,
                compute.trainingFlops() / compute.hardwareTrainingFlops()));
        double seconds = seconds(compute.trainingFlops(), cluster.gpuCount(), cluster.gpu().peakFlops() * mfu);
        double gpuHours = gpuHours(seconds, cluster.gpuCount());
        require(Double.isFinite(gpuHours), "mfu", "gives a training time too long to represent");
        return new TrainingTime(seconds, gpuHours, mfu, hfu);
    }

    // Narayanan et al. 2021 (arXiv:2104.04473) §5.1: end-to-end time ≈ C / (n·X), X the achieved FLOP/s per GPU
    public static double seconds(double flops, long gpuCount, double achievedFlopsPerGpu) {
        return flops / (gpuCount * achievedFlopsPerGpu);
    }

    // GPU-hours = n · seconds / 3600
    public static double gpuHours(double seconds, long gpuCount) {
        return gpuCount * seconds / Units.SECONDS_PER_HOUR;
    }

    public double days() {
        return this.seconds / Units.SECONDS_PER_DAY;
    }

    /** What the run costs at {@code pricePerGpuHour}. */
    public double cost(double pricePerGpuHour) {
        require(pricePerGpuHour >= 0, "pricePerGpuHour", "must not be negative");
        double cost = cost(this.gpuHours, pricePerGpuHour);
        require(Double.isFinite(cost), "pricePerGpuHour", "gives a cost too large to represent");
        return cost;
    }

    // cost = GPU-hours × price per GPU-hour
    public static double cost(double gpuHours, double pricePerGpuHour) {
        return gpuHours * pricePerGpuHour;
    }
}
