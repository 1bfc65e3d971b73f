package dev.llmcalc.core.model.hf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * Maps a Hugging Face {@code config.json}, parsed into nested maps, lists, numbers, strings, booleans and
 * nulls, to the core {@link Architecture} whose exact count is the number of trainable parameters of the
 * {@code *ForCausalLM} module transformers builds from it: tied weights once, buffers (rotary inv_freq, causal
 * masks, embedding scales) excluded, and DeepSeek's multi-token-prediction layers excluded with a warning.
 *
 * <p>Field errors name the config key (with its path, e.g. {@code text_config.hidden_size}): a wrong JSON type or
 * an out-of-range number is a {@link MalformedConfigException}; a missing required field or an impossible
 * combination is an {@link InvalidInputException}. A config whose count would leave parameters out or guess them
 * (an unknown {@code model_type}) is an {@link UnmodelledConfigException} naming each such key, unless the caller
 * accepts an approximate count, which then carries the same findings as warnings.
 */
public final class HuggingFaceConfigMapper {

    private HuggingFaceConfigMapper() {
    }

    /** The exact import: anything not modelled is an {@link UnmodelledConfigException}. */
    public static ImportedModel map(Map<String, ?> config) {
        return map(config, false);
    }

    /**
     * @param config the parsed config.json
     * @param approximate accept a count that leaves out or guesses parts of the model, with a warning for each,
     *        instead of refusing it
     */
    public static ImportedModel map(Map<String, ?> config, boolean approximate) {
        Objects.requireNonNull(config, "config");
        ConfigReader root = new ConfigReader(config, "");
        String modelType = root.optionalString("model_type");
        List<String> preamble = new ArrayList<>();
        ModelFamily family = familyOf(root, modelType, preamble);

        ImportContext ctx;
        Architecture architecture;
        ConfigReader text = null;
        ConfigReader vision = null;
        if (family == ModelFamily.LLAMA4) {
            text = root.nested("text_config");
            if (text == null) {
                throw new InvalidInputException("text_config",
                        "is required for model_type llama4: it holds the language model's sizes");
            }
            ctx = new ImportContext(text, ModelFamily.LLAMA4_TEXT);
            text.consult("model_type");
            Boolean tiedAtTop = root.present("tie_word_embeddings") ? root.boolOrDefault("tie_word_embeddings", false)
                    : null;
            architecture = Llama4Family.text(ctx, tiedAtTop);
            vision = Llama4Family.visionTower(ctx, root, architecture.hiddenSize());
            root.consult("boi_token_index", "eoi_token_index", "image_token_index");
        }
        else if (family == ModelFamily.GEMMA3) {
            text = root.nested("text_config");
            if (text == null) {
                throw new InvalidInputException("text_config",
                        "is required for model_type gemma3: it holds the language model's sizes");
            }
            ctx = new ImportContext(text, ModelFamily.GEMMA3_TEXT);
            text.consult("model_type");
            Boolean tiedAtTop = root.present("tie_word_embeddings") ? root.boolOrDefault("tie_word_embeddings", true)
                    : null;
            architecture = GemmaFamilies.gemma3Text(ctx, tiedAtTop);
            ctx.warn("Gemma-3 with vision: counted the language model only (Gemma3ForCausalLM on text_config); the "
                    + "SigLIP vision tower (vision_config) and the multimodal projector are not counted.");
            root.consult("vision_config", "mm_tokens_per_image", "boi_token_index", "eoi_token_index",
                    "image_token_index");
        }
        else {
            ctx = new ImportContext(root, family);
            architecture = switch (family) {
                case LLAMA -> LlamaStyleFamilies.llama(ctx);
                case MISTRAL -> LlamaStyleFamilies.mistral(ctx);
                case MIXTRAL -> LlamaStyleFamilies.mixtral(ctx);
                case QWEN2 -> LlamaStyleFamilies.qwen2(ctx);
                case QWEN2_MOE -> LlamaStyleFamilies.qwen2Moe(ctx);
                case QWEN3 -> LlamaStyleFamilies.qwen3(ctx);
                case QWEN3_MOE -> LlamaStyleFamilies.qwen3Moe(ctx);
                case PHI3 -> LlamaStyleFamilies.phi3(ctx);
                case OLMO -> LlamaStyleFamilies.olmo(ctx);
                case OLMO2 -> LlamaStyleFamilies.olmo2(ctx);
                case STARCODER2 -> LlamaStyleFamilies.starcoder2(ctx);
                case GEMMA -> GemmaFamilies.gemma(ctx);
                case GEMMA2 -> GemmaFamilies.gemma2(ctx);
                case GEMMA3_TEXT -> GemmaFamilies.gemma3Text(ctx, null);
                case LLAMA4_TEXT -> Llama4Family.text(ctx, null);
                case GPT_OSS -> GptOssFamily.gptOss(ctx);
                case DEEPSEEK_V2 -> DeepSeekFamilies.deepseekV2(ctx);
                case DEEPSEEK_V3 -> DeepSeekFamilies.deepseekV3(ctx);
                case GPT2 -> ClassicFamilies.gpt2(ctx);
                case GPT_NEOX -> ClassicFamilies.gptNeoX(ctx);
                case FALCON -> ClassicFamilies.falcon(ctx);
                case UNKNOWN -> LlamaStyleFamilies.unknown(ctx, modelType, root.firstString("architectures"));
                case GEMMA3, LLAMA4 -> throw new IllegalStateException("handled above");
            };
        }

        Map<String, String> unmodelled = ctx.unmodelled();
        if (!unmodelled.isEmpty() && !approximate) {
            throw new UnmodelledConfigException(unmodelled);
        }
        List<String> warnings = new ArrayList<>();
        unmodelled.forEach((key, reason) -> warnings.add("Not modelled, so the count is approximate: '" + key + "' "
                + reason + "."));
        warnings.addAll(preamble);
        warnings.addAll(ctx.warnings());
        addDefaults(warnings, root, family.configClass());
        if (text != null) {
            addDefaults(warnings, text, ctx.family.configClass());
        }
        if (vision != null) {
            addDefaults(warnings, vision, "Llama4VisionConfig");
        }
        if (root.present("quantization_config")) {
            warnings.add("quantization_config is ignored: the count is of logical parameters; the checkpoint's stored "
                    + "bytes depend on its quantisation (and its scale tensors are not parameters of the model).");
        }
        root.consult("quantization_config", "architectures", "model_type");
        List<String> ignored = new ArrayList<>(root.ignoredKeys());
        if (text != null) {
            ignored.addAll(text.ignoredKeys());
        }
        if (vision != null) {
            ignored.addAll(vision.ignoredKeys());
        }
        if (!ignored.isEmpty()) {
            warnings.add("Ignored, no effect on the parameter count: " + String.join(", ", ignored) + ".");
        }
        return new ImportedModel(modelType != null ? modelType : family.modelType(), family, architecture, warnings,
                ctx.notes(), ctx.otherModules(), !unmodelled.isEmpty());
    }

    private static ModelFamily familyOf(ConfigReader root, String modelType, List<String> warnings) {
        if (modelType != null) {
            return ModelFamily.ofModelType(modelType).orElse(ModelFamily.UNKNOWN);
        }
        String causalLm = root.firstString("architectures");
        if (causalLm != null) {
            ModelFamily guessed = ModelFamily.ofArchitectureClass(causalLm).orElse(ModelFamily.UNKNOWN);
            if (guessed != ModelFamily.UNKNOWN) {
                warnings.add("model_type is absent: guessed '" + guessed.modelType() + "' from architectures ["
                        + causalLm + "].");
            }
            return guessed;
        }
        return ModelFamily.UNKNOWN;
    }

    private static void addDefaults(List<String> warnings, ConfigReader reader, String configClass) {
        List<String> defaults = reader.appliedDefaults();
        if (!defaults.isEmpty()) {
            warnings.add("Not in the config, so the " + configClass + " defaults apply"
                    + (reader.field("").isEmpty() ? "" : " under " + reader.field("").replaceAll("\\.$", ""))
                    + ": " + String.join(", ", defaults) + ".");
        }
    }
}
