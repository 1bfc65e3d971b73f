package dev.llmcalc.api.plans;

import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.OffloadDevice;

/**
 * What a plan moves off the GPU, as {@code training.offload} names it.
 *
 * @param optimizer where the optimizer states and step live
 * @param parameters where the 16-bit weights live between uses
 */
public record OffloadSpecView(OffloadDevice optimizer, OffloadDevice parameters) {

    static OffloadSpecView of(Offload offload) {
        return new OffloadSpecView(offload.optimizer(), offload.parameters());
    }
}
