package dev.llmcalc.api.gpus;

import java.util.List;

import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.api.UnknownPresetException;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.Vendor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "gpus", description = "GPU catalog")
class GpusController {

    private static final int SUGGESTIONS = 3;

    @GetMapping(path = "/api/v1/gpus", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Every catalog accelerator (or one vendor's): memory, dense peak FLOP/s by data type, memory, "
            + "link and host-link bandwidths, board power, sources")
    @ApiResponse(responseCode = "200", description = "The accelerators, in catalog order")
    @ApiResponse(responseCode = "400", description = "Unknown vendor (the answer lists the vendors)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(ref = "#/components/schemas/Problem")))
    List<GpuView> gpus(@Parameter(description = "only this vendor's: NVIDIA, AMD, INTEL or GOOGLE (case-insensitive)")
            @RequestParam(required = false) String vendor) {
        List<GpuSpec> gpus = vendor == null ? GpuPresets.all() : GpuPresets.by(Vendor.find(vendor)
                .orElseThrow(() -> new BadRequestException("vendor", "must be one of "
                        + String.join(", ", Vendor.names()) + " (case-insensitive), not '" + abbreviate(vendor) + "'")));
        return gpus.stream().map(GpuView::of).toList();
    }

    @GetMapping(path = "/api/v1/gpus/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One catalog GPU (id matched case-insensitively)")
    @ApiResponse(responseCode = "200", description = "The GPU")
    @ApiResponse(responseCode = "404", description = "Unknown id (with the closest known ids)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(ref = "#/components/schemas/Problem")))
    GpuView gpu(@PathVariable String id) {
        return GpuView.of(GpuPresets.find(id)
                .orElseThrow(() -> UnknownPresetException.gpu("id", id, GpuPresets.closestIds(id, SUGGESTIONS))));
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
