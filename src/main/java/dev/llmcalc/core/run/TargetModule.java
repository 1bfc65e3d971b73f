package dev.llmcalc.core.run;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Weight matrices a LoRA adapter can be attached to, with the ids clients write (PEFT's short names). */
public enum TargetModule {

    /** Query projection h → a·d. */
    Q("q"),
    /** Key projection h → g·d. */
    K("k"),
    /** Value projection h → g·d. */
    V("v"),
    /** Attention output projection a·d → h. */
    O("o"),
    /** Gate projection of a gated FFN h → f (every expert of a MoE layer). */
    GATE("gate"),
    /** Up projection h → f (every expert of a MoE layer). */
    UP("up"),
    /** Down projection f → h (every expert of a MoE layer). */
    DOWN("down"),
    /** Token embedding: vocabulary → h. */
    EMBEDDING("embedding"),
    /** LM head h → vocabulary. */
    LM_HEAD("lm_head");

    private final String id;

    TargetModule(String id) {
        this.id = id;
    }

    public String id() {
        return this.id;
    }

    /** The module with this id, case-insensitively. */
    public static Optional<TargetModule> fromId(String id) {
        return Arrays.stream(values()).filter((module) -> module.id.equalsIgnoreCase(id)).findFirst();
    }

    /** "q, k, v, o, gate, up, down, embedding, lm_head", for error messages. */
    public static String knownIds() {
        return Arrays.stream(values()).map(TargetModule::id).collect(Collectors.joining(", "));
    }

    public boolean isAttention() {
        return this == Q || this == K || this == V || this == O;
    }

    public boolean isMlp() {
        return this == GATE || this == UP || this == DOWN;
    }
}
