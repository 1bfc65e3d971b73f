package dev.llmcalc.api.plans;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.ResolvedRun;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.plan.Calibration;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.InvalidInputException;

/** The measured runs of a request's {@code calibration}, resolved as {@code /checks} resolves a plan. */
final class CalibrationRuns {

    private CalibrationRuns() {
    }

    /**
     * The runs to fit: the request's own plan with {@code measuredStepSeconds} (checks only, {@code own} non-null),
     * then each of {@code runs}, on the request's GPU.
     *
     * @param ownRun the request's plan, or {@code null} for a search (which has no plan of its own)
     * @param ownCluster its cluster ({@code null} with it)
     */
    static List<Calibration.MeasuredRun> of(CalibrationSpec spec, ModelSpec requestModel, GpuSpec gpu,
            TrainingRun ownRun, Cluster ownCluster) {
        List<Calibration.MeasuredRun> measured = new ArrayList<>();
        if (spec.measuredStepSeconds() != null) {
            if (ownRun == null) {
                throw new BadRequestException("calibration.measuredStepSeconds", "applies to /checks (the request's "
                        + "own plan); a search has none: give calibration.runs");
            }
            measured.add(new Calibration.MeasuredRun(ownRun, ownCluster, spec.measuredStepSeconds()));
        }
        List<CalibrationSpec.Run> runs = spec.runs() != null ? spec.runs() : List.of();
        for (int i = 0; i < runs.size(); i++) {
            String field = "calibration.runs[" + i + "]";
            measured.add(run(runs.get(i), field, requestModel, gpu));
        }
        if (measured.isEmpty()) {
            throw new BadRequestException("calibration", "needs measuredStepSeconds or at least one of runs");
        }
        return measured;
    }

    private static Calibration.MeasuredRun run(CalibrationSpec.Run r, String field, ModelSpec requestModel,
            GpuSpec gpu) {
        if ((r.measuredStepSeconds() == null) == (r.measuredTflopsPerGpu() == null)) {
            throw new BadRequestException(field, "needs exactly one of measuredStepSeconds and measuredTflopsPerGpu");
        }
        try {
            ResolvedRun resolved = ResolvedRun.resolve(r.model() != null ? r.model() : requestModel, r.training(),
                    r.batch(), r.activations(), r.parallelism(), r.cluster());
            TrainingRun run = resolved.run();
            if (run.batch().globalBatchSize() == 0) {
                throw new BadRequestException(field + ".batch.globalBatchSize", "is required for a measured run");
            }
            Cluster cluster = r.cluster().toCore(field + ".cluster", resolved.layout().gpuCount());
            if (!cluster.gpu().id().equals(gpu.id())) {
                throw new InvalidInputException(field + ".cluster.gpu", "must be the request's GPU (" + gpu.id()
                        + "): calibration fits one GPU's shares");
            }
            return r.measuredStepSeconds() != null
                    ? new Calibration.MeasuredRun(run, cluster, r.measuredStepSeconds())
                    : Calibration.MeasuredRun.ofModelTflopsPerGpu(run, cluster, r.measuredTflopsPerGpu(),
                            field + ".measuredTflopsPerGpu");
        }
        catch (InvalidInputException ex) {
            InvalidInputException named = TrainingSpec.named(ex);
            throw named.field().startsWith("calibration.") ? named : named.under(field + ".");
        }
        catch (BadRequestException ex) {
            throw ex.field().startsWith("calibration.") ? ex : new BadRequestException(field + "." + ex.field(),
                    ex.getMessage());
        }
    }
}
