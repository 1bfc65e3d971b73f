package dev.llmcalc.core.model;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * DeepSeek multi-head latent attention (DeepSeek-V2, arXiv:2405.04434 §2.1).
 *
 * @param qLoraRank rank of the query compression, or 0 for an uncompressed query projection
 * @param kvLoraRank rank of the joint key/value compression (r_kv)
 * @param qkNopeHeadDim per-head query/key width without rotary (d_nope)
 * @param qkRopeHeadDim per-head decoupled rotary width (d_rope), the rotary key is shared by all heads
 * @param vHeadDim per-head value width (d_v)
 */
public record MlaConfig(int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim, int vHeadDim) {

    public MlaConfig {
        require(qLoraRank >= 0, "mla.qLoraRank", "must not be negative (0 means no query compression)");
        require(kvLoraRank >= 1, "mla.kvLoraRank", "must be at least 1");
        require(qkNopeHeadDim >= 1, "mla.qkNopeHeadDim", "must be at least 1");
        require(qkRopeHeadDim >= 0, "mla.qkRopeHeadDim", "must not be negative");
        require(vHeadDim >= 1, "mla.vHeadDim", "must be at least 1");
    }

    public boolean compressesQueries() {
        return this.qLoraRank > 0;
    }

    /** Query/key width per head: d_nope + d_rope. */
    public int qkHeadDim() {
        return this.qkNopeHeadDim + this.qkRopeHeadDim;
    }
}
