package dev.llmcalc.core.model;

/** How token positions enter the model. Only LEARNED holds parameters (max positions × hidden). */
public enum PositionEmbedding {
    ROTARY, LEARNED, ALIBI, NONE
}
