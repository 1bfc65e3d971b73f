package dev.llmcalc.api.comms;

import java.util.List;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.ResolvedModel;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.comms.CommunicationCalculator;
import dev.llmcalc.core.comms.CommunicationEstimate;
import dev.llmcalc.core.comms.Network;
import dev.llmcalc.core.parallel.ClusterLayout;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "communication", description = "Collectives and the per-GPU communication of a training step")
class CommunicationController {

    @PostMapping(path = "/api/v1/communication", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Bytes and seconds each GPU spends communicating in one training step: data parallel / ZeRO, "
            + "tensor (+ sequence) parallel, pipeline, expert and context parallel, with the document's 4bsh, "
            + "2(N−1)bsh and 2Φ/3Φ beside them")
    CommunicationResponse communication(@Valid @RequestBody CommunicationRequest request) {
        ResolvedModel model = ModelResolver.resolve(request.model(), "model");
        BatchShape batch = BatchSpec.toCore(request.batch());
        Training training = TrainingSpec.baseTraining(request.training());
        FineTuning fineTuning = TrainingSpec.fineTuning(request.training());
        ActivationOptions options = ActivationsSpec.toCore(request.activations(), model.architecture(), training);
        ClusterLayout layout = request.cluster() != null
                ? ParallelismSpec.onCluster(request.parallelism(), request.cluster().gpuCount()) : null;
        Parallelism parallelism = layout != null ? layout.parallelism() : ParallelismSpec.toCore(request.parallelism());
        Network network = request.network(layout != null ? layout.gpuCount() : 0);
        CommunicationEstimate estimate;
        try {
            TrainingRun run = TrainingRun.of(model.architecture(), training, fineTuning, batch, options, parallelism);
            estimate = CommunicationCalculator.estimate(run, request.order(), network);
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
        return CommunicationResponse.of(model.source(), estimate, BatchSpec.from(batch),
                TrainingSpec.from(training, fineTuning), ActivationsSpec.from(options), ParallelismSpec.from(parallelism),
                network != null ? network.cluster() : null, layout != null ? layout.assumptions() : List.of());
    }
}
