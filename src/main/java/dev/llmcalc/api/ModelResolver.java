package dev.llmcalc.api;

import java.util.Map;

import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.model.hf.HuggingFaceConfigMapper;
import dev.llmcalc.core.model.hf.ImportedModel;
import dev.llmcalc.core.model.hf.MalformedConfigException;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.unit.InvalidInputException;

/** Turns the request's {@code model} object (a preset, an architecture or a config.json) into a core architecture. */
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
        int forms = (spec.preset() != null ? 1 : 0) + (spec.architecture() != null ? 1 : 0)
                + (spec.huggingFaceConfig() != null ? 1 : 0);
        if (forms != 1) {
            throw new BadRequestException(field,
                    "must have exactly one of 'preset', 'architecture' or 'huggingFaceConfig'");
        }
        if (spec.approximate() != null && spec.huggingFaceConfig() == null) {
            throw new BadRequestException(field + ".approximate",
                    "applies to 'huggingFaceConfig' only: a preset or an architecture is always counted exactly");
        }
        if (spec.preset() != null) {
            ModelPreset preset = preset(spec.preset(), field + ".preset");
            return new ResolvedModel(preset.id(), preset.architecture());
        }
        if (spec.huggingFaceConfig() != null) {
            ImportedModel imported = importHuggingFaceConfig(spec.huggingFaceConfig(), field + ".huggingFaceConfig.",
                    Boolean.TRUE.equals(spec.approximate()));
            return new ResolvedModel("huggingFaceConfig", imported.architecture(), imported.warnings());
        }
        try {
            return new ResolvedModel("architecture", spec.architecture().toCore());
        }
        catch (InvalidInputException ex) {
            throw ex.under(field + ".architecture.");
        }
    }

    /** The catalog preset with this id, or a 404 naming {@code field} and the closest known ids. */
    public static ModelPreset preset(String id, String field) {
        return ModelPresets.find(id)
                .orElseThrow(() -> new UnknownPresetException(field, id, ModelPresets.closestIds(id, SUGGESTIONS)));
    }

    /**
     * Maps a parsed config.json to the core architecture; problems name the config key after {@code fieldPrefix}
     * (e.g. "model.huggingFaceConfig." or "" for the import endpoint's bare body): wrong types 400, missing or
     * impossible fields 422, and parts the count would leave out or guess 422 unless {@code approximate}.
     */
    public static ImportedModel importHuggingFaceConfig(Map<String, ?> config, String fieldPrefix, boolean approximate) {
        try {
            return HuggingFaceConfigMapper.map(config, approximate);
        }
        catch (MalformedConfigException ex) {
            throw new BadRequestException(fieldPrefix + ex.field(), ex.reason());
        }
        catch (InvalidInputException ex) {
            throw ex.under(fieldPrefix);
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

        /** LoRA and QLoRA need the model's matrix shapes: a raw parameter count is refused for them. */
        public void requireModelFor(FineTuning fineTuning) {
            if (fineTuning.isAdapter() && this.model == null) {
                throw new InvalidInputException("parameters", "cannot be used with training.method "
                        + fineTuning.method() + ": adapters need the model's matrix shapes; send 'model' instead");
            }
        }
    }
}
