package dev.llmcalc.api;

import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.params.ParameterCounter;
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

    /**
     * For endpoints that take {@code model} or {@code parameters} (a raw count): exactly one of them.
     * The returned model is {@code null} when a raw count was sent.
     */
    public static ModelOrCount resolveModelOrCount(ModelSpec spec, Long parameters) {
        if ((spec == null) == (parameters == null)) {
            throw new BadRequestException("model", "send exactly one of 'model' or 'parameters' (a raw count)");
        }
        if (parameters != null) {
            return new ModelOrCount(null, parameters);
        }
        ResolvedModel model = resolve(spec, "model");
        return new ModelOrCount(model, ParameterCounter.count(model.architecture()).totalParameters());
    }

    /**
     * @param model the resolved model, or {@code null} when only a count was sent
     * @param parameters Φ
     */
    public record ModelOrCount(ResolvedModel model, long parameters) {

        public String source() {
            return this.model != null ? this.model.source() : "parameters";
        }
    }
}
