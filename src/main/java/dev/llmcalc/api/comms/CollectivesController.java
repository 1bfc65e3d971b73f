package dev.llmcalc.api.comms;

import dev.llmcalc.core.comms.CollectiveCost;
import dev.llmcalc.core.comms.Collectives;
import dev.llmcalc.core.comms.Link;
import dev.llmcalc.core.comms.LinkKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "communication", description = "Collectives and the per-GPU communication of a training step")
class CollectivesController {

    @PostMapping(path = "/api/v1/collectives", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Bytes each rank sends and receives, steps and α–β time of one of the eight collective "
            + "primitives (ring, or tree for all-reduce and broadcast), in NCCL's bus-bandwidth convention")
    CollectiveResponse collective(@Valid @RequestBody CollectiveRequest request) {
        CollectiveCost cost = Collectives.cost(request.collective(), request.algorithmOrDefault(), request.ranks(),
                request.messageBytes());
        Link link = new Link(LinkKind.INTRA_NODE, request.bandwidthOrDefault(), request.latencyOrDefault());
        return CollectiveResponse.of(request, cost, link);
    }
}
