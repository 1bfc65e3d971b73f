package dev.llmcalc.api.alignment;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "alignment", description = "SFT, reward model, DPO, PPO and GRPO: every model's memory and the rollout")
class AlignmentController {

    @PostMapping(path = "/api/v1/alignment", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Model states of every role of an alignment run on one GPU (policy, reference, reward, critic; "
            + "colocated), and for PPO / GRPO the rollout's KV cache, cache budget and time lower bounds")
    AlignmentResponse alignment(@Valid @RequestBody AlignmentRequest request) {
        return Aligning.align(request);
    }
}
