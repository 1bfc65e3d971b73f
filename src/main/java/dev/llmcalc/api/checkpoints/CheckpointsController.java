package dev.llmcalc.api.checkpoints;

import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.api.ModelResolver.ModelOrCount;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.memory.Checkpoint;
import dev.llmcalc.core.memory.CheckpointCalculator;
import dev.llmcalc.core.memory.InferencePrecision;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "checkpoints", description = "Checkpoint sizes and save times")
class CheckpointsController {

    @PostMapping(path = "/api/v1/checkpoints", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Full training checkpoint (weights, fp32 master, optimizer states) and its per-rank shards, "
            + "the weights-only export, and the save time and share of training at a storage bandwidth and interval")
    CheckpointResponse checkpoints(@Valid @RequestBody CheckpointRequest request) {
        ModelOrCount subject = ModelResolver.resolveModelOrCount(request.model(), request.parameters());
        Training training = TrainingSpec.baseTraining(request.training());
        FineTuning fineTuning = TrainingSpec.fineTuning(request.training());
        Parallelism parallelism = ParallelismSpec.toCore(request.parallelism());
        subject.requireModelFor(fineTuning);
        InferencePrecision export = request.exportPrecision() != null ? request.exportPrecision()
                : InferencePrecision.BF16;
        Checkpoint checkpoint;
        try {
            checkpoint = CheckpointCalculator.estimate(subject.model() != null ? subject.model().architecture() : null,
                    subject.parameters(), training, fineTuning, parallelism,
                    request.gpusPerNode() != null ? request.gpusPerNode() : Cluster.DEFAULT_GPUS_PER_NODE,
                    export.dtype(), CheckpointRequest.Storage.toCore(request.storage()),
                    request.checkpointEveryMinutes());
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
        return CheckpointResponse.of(subject.source(), TrainingSpec.from(training, fineTuning),
                ParallelismSpec.from(parallelism), export, request.storage(), checkpoint);
    }
}
