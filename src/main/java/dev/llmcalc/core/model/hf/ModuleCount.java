package dev.llmcalc.core.model.hf;

/**
 * An exactly counted module that a checkpoint holds besides the {@code *ForCausalLM} language model (Llama 4's
 * vision tower and multimodal projector). Not part of {@code totalParameters}: the architecture counts the language
 * model only.
 *
 * @param module the module's name in the Hugging Face model, e.g. {@code vision_model}
 * @param parameters its trainable parameters
 * @param description what it holds and where the count comes from
 */
public record ModuleCount(String module, long parameters, String description) {
}
