package dev.llmcalc.core.model;

/** What a query/key norm normalises, and so how many weights it holds (used only with {@code qkNorm}). */
public enum QkNormScope {

    /**
     * One norm of width d for queries and one for keys, shared by every head: 2·d weights per norm vector
     * (modeling_qwen3.py and modeling_gemma3.py: {@code q_norm = RMSNorm(head_dim)}).
     */
    PER_HEAD,

    /**
     * One norm over the whole query projection (a·d) and one over the whole key projection (g·d): (a + g)·d
     * weights per norm vector (modeling_olmo2.py: {@code q_norm = RMSNorm(num_attention_heads * head_dim)}).
     */
    FULL_WIDTH
}
