package dev.llmcalc.core.model.hf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The Hugging Face {@code model_type}s the importer knows, each with the transformers config class whose
 * defaults apply to absent fields and the modeling file whose module structure is counted.
 */
public enum ModelFamily {

    LLAMA("LlamaConfig", "modeling_llama.py", "LlamaForCausalLM", "llama"),
    MISTRAL("MistralConfig", "modeling_mistral.py", "MistralForCausalLM", "mistral"),
    MIXTRAL("MixtralConfig", "modeling_mixtral.py", "MixtralForCausalLM", "mixtral"),
    QWEN2("Qwen2Config", "modeling_qwen2.py", "Qwen2ForCausalLM", "qwen2"),
    QWEN2_MOE("Qwen2MoeConfig", "modeling_qwen2_moe.py", "Qwen2MoeForCausalLM", "qwen2_moe"),
    QWEN3("Qwen3Config", "modeling_qwen3.py", "Qwen3ForCausalLM", "qwen3"),
    QWEN3_MOE("Qwen3MoeConfig", "modeling_qwen3_moe.py", "Qwen3MoeForCausalLM", "qwen3_moe"),
    GEMMA("GemmaConfig", "modeling_gemma.py", "GemmaForCausalLM", "gemma"),
    GEMMA2("Gemma2Config", "modeling_gemma2.py", "Gemma2ForCausalLM", "gemma2"),
    /** The multimodal Gemma-3 config: its language model is read from {@code text_config}. */
    GEMMA3("Gemma3Config", "modeling_gemma3.py", "Gemma3ForConditionalGeneration", "gemma3"),
    GEMMA3_TEXT("Gemma3TextConfig", "modeling_gemma3.py", "Gemma3ForCausalLM", "gemma3_text"),
    PHI3("Phi3Config", "modeling_phi3.py", "Phi3ForCausalLM", "phi3"),
    GPT2("GPT2Config", "modeling_gpt2.py", "GPT2LMHeadModel", "gpt2"),
    GPT_NEOX("GPTNeoXConfig", "modeling_gpt_neox.py", "GPTNeoXForCausalLM", "gpt_neox"),
    /** Also the pre-transformers-4.33 names of the same model ({@code RefinedWebModel}, {@code RefinedWeb}). */
    FALCON("FalconConfig", "modeling_falcon.py", "FalconForCausalLM", "falcon", "refinedwebmodel", "refinedweb"),
    OLMO("OlmoConfig", "modeling_olmo.py", "OlmoForCausalLM", "olmo"),
    OLMO2("Olmo2Config", "modeling_olmo2.py", "Olmo2ForCausalLM", "olmo2"),
    DEEPSEEK_V2("DeepseekV2Config", "modeling_deepseek_v2.py", "DeepseekV2ForCausalLM", "deepseek_v2"),
    DEEPSEEK_V3("DeepseekV3Config", "modeling_deepseek_v3.py", "DeepseekV3ForCausalLM", "deepseek_v3"),
    STARCODER2("Starcoder2Config", "modeling_starcoder2.py", "Starcoder2ForCausalLM", "starcoder2"),
    /** The multimodal Llama 4 config: its language model is read from {@code text_config}. */
    LLAMA4("Llama4Config", "modeling_llama4.py", "Llama4ForConditionalGeneration", "llama4"),
    LLAMA4_TEXT("Llama4TextConfig", "modeling_llama4.py", "Llama4ForCausalLM", "llama4_text"),
    GPT_OSS("GptOssConfig", "modeling_gpt_oss.py", "GptOssForCausalLM", "gpt_oss"),
    /** An unrecognised model_type, read as a Llama-style decoder (and said so in the warnings). */
    UNKNOWN("LlamaConfig (guessed)", "modeling_llama.py", null);

    private final String configClass;

    private final String modelingFile;

    private final String causalLmClass;

    private final List<String> modelTypes;

    ModelFamily(String configClass, String modelingFile, String causalLmClass, String... modelTypes) {
        this.configClass = configClass;
        this.modelingFile = modelingFile;
        this.causalLmClass = causalLmClass;
        this.modelTypes = List.of(modelTypes);
    }

    /** The transformers configuration class whose defaults apply, e.g. {@code LlamaConfig}. */
    public String configClass() {
        return this.configClass;
    }

    /** The transformers modeling file whose module is counted, e.g. {@code modeling_llama.py}. */
    public String modelingFile() {
        return this.modelingFile;
    }

    /** The canonical {@code model_type}, or {@code null} for UNKNOWN. */
    public String modelType() {
        return this.modelTypes.isEmpty() ? null : this.modelTypes.get(0);
    }

    /** The family of a {@code model_type}, matched case-insensitively. */
    public static Optional<ModelFamily> ofModelType(String modelType) {
        String wanted = modelType.trim().toLowerCase(Locale.ROOT);
        for (ModelFamily family : values()) {
            if (family.modelTypes.contains(wanted)) {
                return Optional.of(family);
            }
        }
        return Optional.empty();
    }

    /** The family whose causal-LM class is named first in {@code architectures} (for configs without a model_type). */
    public static Optional<ModelFamily> ofArchitectureClass(String className) {
        for (ModelFamily family : values()) {
            if (className.equals(family.causalLmClass)) {
                return Optional.of(family);
            }
        }
        return Optional.empty();
    }

    /** The model_types the importer maps with their family's own rules. */
    public static List<String> knownModelTypes() {
        return Arrays.stream(values()).map(ModelFamily::modelType).filter(Objects::nonNull).toList();
    }
}
