package dev.llmcalc.api;

import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.unit.InvalidInputException;

/** Turns the request's {@code model} object into a core architecture. */
public final class ModelResolver {

    private static final int SUGGESTIONS = 3;

    private ModelResolver() {
    }

    /**
     * @param spec the model object as sent
     * @param field where it sits in the request (e.g. "model"), for error messages
     */
    public static ResolvedModel resolve(ModelSpec spec, String field) {
        if (spec == null) {
            throw new BadRequestException(field, "is required");
        }
        boolean hasPreset = spec.preset() != null;
        boolean hasArchitecture = spec.architecture() != null;
        if (hasPreset == hasArchitecture) {
            throw new BadRequestException(field, "must have exactly one of 'preset' or 'architecture'");
        }
        if (hasPreset) {
            ModelPreset preset = ModelPresets.find(spec.preset())
                    .orElseThrow(() -> new UnknownPresetException(field + ".preset", spec.preset(),
                            ModelPresets.closestIds(spec.preset(), SUGGESTIONS)));
            return new ResolvedModel(preset.id(), preset.architecture());
        }
        try {
            return new ResolvedModel("architecture", spec.architecture().toCore());
        }
        catch (InvalidInputException ex) {
            throw ex.under(field + ".architecture.");
        }
    }
}
