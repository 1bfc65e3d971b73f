package dev.llmcalc.core.model.hf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * One import in progress: the reader of the model's fields, the family's rules, and the warnings and notes
 * collected on the way. Holds the checks every family shares (key/value heads, head width, which layers are
 * MoE) so each reports problems under the config's own key names.
 */
final class ImportContext {

    /** Architecture field → the config key it is read from, unless a family says otherwise. */
    private static final Map<String, String> STANDARD_KEYS = Map.ofEntries(
            Map.entry("vocabSize", "vocab_size"), Map.entry("hiddenSize", "hidden_size"),
            Map.entry("numLayers", "num_hidden_layers"), Map.entry("numAttentionHeads", "num_attention_heads"),
            Map.entry("numKeyValueHeads", "num_key_value_heads"), Map.entry("headDim", "head_dim"),
            Map.entry("intermediateSize", "intermediate_size"),
            Map.entry("maxPositionEmbeddings", "max_position_embeddings"),
            Map.entry("moe.numExperts", "num_experts"), Map.entry("moe.numExpertsPerToken", "num_experts_per_tok"),
            Map.entry("moe.expertIntermediateSize", "moe_intermediate_size"),
            Map.entry("moe.sharedExpertIntermediateSize", "shared_expert_intermediate_size"),
            Map.entry("mla.qLoraRank", "q_lora_rank"), Map.entry("mla.kvLoraRank", "kv_lora_rank"),
            Map.entry("mla.qkNopeHeadDim", "qk_nope_head_dim"), Map.entry("mla.qkRopeHeadDim", "qk_rope_head_dim"),
            Map.entry("mla.vHeadDim", "v_head_dim"));

    final ConfigReader config;

    final ModelFamily family;

    private final List<String> warnings = new ArrayList<>();

    private final List<String> notes = new ArrayList<>();

    private final Map<String, String> unmodelled = new LinkedHashMap<>();

    private final List<ModuleCount> otherModules = new ArrayList<>();

    private final Map<String, String> keys = new HashMap<>(STANDARD_KEYS);

    ImportContext(ConfigReader config, ModelFamily family) {
        this.config = config;
        this.family = family;
    }

    void warn(String warning) {
        this.warnings.add(warning);
    }

    void note(String note) {
        this.notes.add(note);
    }

    List<String> warnings() {
        return this.warnings;
    }

    /**
     * Records a config key whose parameters the count would leave out or guess (an unknown family, experts of an
     * unknown family): the import is then refused (422) unless the client accepts an approximate count.
     */
    void unmodelled(String key, String reason) {
        this.unmodelled.put(this.config.field(key), reason);
    }

    /** Config key (with its path) → what about it is not modelled, in the order found. */
    Map<String, String> unmodelled() {
        return this.unmodelled;
    }

    /** Records a module the checkpoint holds besides the counted *ForCausalLM (a vision tower), counted exactly. */
    void otherModule(ModuleCount module) {
        this.otherModules.add(module);
    }

    List<ModuleCount> otherModules() {
        return this.otherModules;
    }

    List<String> notes() {
        return this.notes;
    }

    /** Says which config key an architecture field comes from, for error messages. */
    void keyFor(String architectureField, String configKey) {
        this.keys.put(architectureField, configKey);
    }

    /** A 422 about a config key, named with its path. */
    InvalidInputException impossible(String key, String reason) {
        return new InvalidInputException(this.config.field(key), reason);
    }

    /**
     * g: the key/value heads. Absent, the config class's own default applies ({@code absentDefault}, or the
     * query heads when that is {@code null}); an explicit null means "same as the query heads" in every family.
     */
    int keyValueHeads(String key, int heads, Integer absentDefault) {
        int kv;
        if (this.config.present(key)) {
            kv = this.config.optionalInt(key);
        }
        else if (!this.config.has(key) && absentDefault != null) {
            kv = absentDefault;
            this.config.defaulted(key + " = " + absentDefault);
        }
        else {
            kv = heads;
            if (!this.config.has(key)) {
                this.config.defaulted(key + " = num_attention_heads (" + heads + ")");
            }
        }
        if (kv > heads || heads % kv != 0) {
            throw impossible(key, "(" + kv + ") must divide the attention heads (" + heads + ") for grouped-query attention");
        }
        return kv;
    }

    /**
     * d: the {@code head_dim} field when present, else the family's default width (Gemma 256, Qwen3 128), else
     * hidden / heads, which then must divide exactly.
     */
    int headDim(String headsKey, int hidden, int heads, Integer familyDefault) {
        Integer explicit = this.config.optionalInt("head_dim");
        if (explicit != null) {
            return explicit;
        }
        if (familyDefault != null) {
            this.config.defaulted("head_dim = " + familyDefault);
            return familyDefault;
        }
        return dividedHeadDim(headsKey, hidden, heads, "when head_dim is not given");
    }

    /** hidden / heads for families whose attention requires the division to be exact. */
    int dividedHeadDim(String headsKey, int hidden, int heads, String when) {
        if (hidden % heads != 0) {
            throw impossible(headsKey, "(" + heads + ") must divide hidden_size (" + hidden + ") " + when
                    + ": the per-head width would not be an integer");
        }
        return hidden / heads;
    }

    /**
     * How many of the layers have a dense FFN, given which ones are MoE. The core places dense layers first; a
     * family that interleaves them (moe_layer_freq, decoder_sparse_step, mlp_only_layers) gets the same counts and
     * a warning that only pipeline-stage placement is approximate.
     */
    int denseLayers(int layers, IntPredicate isMoe, String rule) {
        int dense = 0;
        boolean denseAfterMoe = false;
        boolean seenMoe = false;
        for (int layer = 0; layer < layers; layer++) {
            if (isMoe.test(layer)) {
                seenMoe = true;
            }
            else {
                dense++;
                denseAfterMoe |= seenMoe;
            }
        }
        if (denseAfterMoe) {
            warn("Dense and MoE layers interleave (" + rule + "): " + dense + " of " + layers
                    + " layers are dense. Counts are exact; per-pipeline-stage placement treats the dense layers as the "
                    + "first ones.");
        }
        return dense;
    }

    /** Builds the architecture, reporting an impossible shape under the config key it came from. */
    Architecture build(Architecture.Builder builder) {
        try {
            return builder.build();
        }
        catch (InvalidInputException ex) {
            String key = this.keys.get(ex.field());
            throw key != null ? impossible(key, ex.reason())
                    : new InvalidInputException(this.config.field("(" + ex.field() + ")"), ex.reason());
        }
    }
}
