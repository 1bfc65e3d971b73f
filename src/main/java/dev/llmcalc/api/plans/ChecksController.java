package dev.llmcalc.api.plans;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "plans")
class ChecksController {

    @PostMapping(path = "/api/v1/checks", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Check a concrete plan against requirements (memory fraction, step time, training days, MFU, "
            + "headroom): 200 with pass and violations for any valid plan, 4xx only for bad input")
    CheckResponse check(@Valid @RequestBody CheckRequest request) {
        return Planning.check(request);
    }
}
