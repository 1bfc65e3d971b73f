package dev.llmcalc.api.gpus;

import java.util.List;

import dev.llmcalc.api.UnknownPresetException;
import dev.llmcalc.core.hardware.GpuPresets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "gpus", description = "GPU catalog")
class GpusController {

    private static final int SUGGESTIONS = 3;

    @GetMapping(path = "/api/v1/gpus", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Every catalog GPU: memory, dense peak FLOP/s by data type, memory and link bandwidths, sources")
    List<GpuView> gpus() {
        return GpuPresets.all().stream().map(GpuView::of).toList();
    }

    @GetMapping(path = "/api/v1/gpus/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One catalog GPU (id matched case-insensitively)")
    @ApiResponse(responseCode = "200", description = "The GPU")
    @ApiResponse(responseCode = "404", description = "Unknown id (with the closest known ids)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(ref = "#/components/schemas/Problem")))
    GpuView gpu(@PathVariable String id) {
        return GpuView.of(GpuPresets.find(id)
                .orElseThrow(() -> new UnknownPresetException("id", id, GpuPresets.closestIds(id, SUGGESTIONS))));
    }
}
