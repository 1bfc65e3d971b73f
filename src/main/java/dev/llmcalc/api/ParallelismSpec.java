package dev.llmcalc.api;

import dev.llmcalc.core.parallel.ClusterLayout;
import dev.llmcalc.core.parallel.Parallelism;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/** The {@code parallelism} object; omitted degrees are 1. */
@Schema(description = "Parallel degrees; omitted ones are 1. GPUs = data × tensor × pipeline × context; "
        + "expert-parallel ranks are taken from data × context.")
public record ParallelismSpec(
        @Schema(description = "[1] data-parallel degree", example = "8") @Positive @Max(Parallelism.MAX_DEGREE) Integer data,
        @Schema(description = "[1] tensor-parallel degree") @Positive @Max(Parallelism.MAX_DEGREE) Integer tensor,
        @Schema(description = "[1] pipeline-parallel degree") @Positive @Max(Parallelism.MAX_DEGREE) Integer pipeline,
        @Schema(description = "[1] expert-parallel degree") @Positive @Max(Parallelism.MAX_DEGREE) Integer expert,
        @Schema(description = "[1] context-parallel degree") @Positive @Max(Parallelism.MAX_DEGREE) Integer context,
        @Schema(description = "[1] interleaved model chunks per pipeline stage (Megatron's virtual pipeline size)")
        @Positive @Max(Parallelism.MAX_DEGREE) Integer virtualPipeline) {

    public Parallelism toCore() {
        return new Parallelism(orOne(this.data), orOne(this.tensor), orOne(this.pipeline), orOne(this.expert),
                orOne(this.context), orOne(this.virtualPipeline));
    }

    public static Parallelism toCore(ParallelismSpec spec) {
        return spec != null ? spec.toCore() : Parallelism.NONE;
    }

    /**
     * The layout on a cluster: a data degree left out fills the cluster's GPU count, a GPU count left out is the
     * layout's (the core's {@link ClusterLayout} decides and says so in its assumptions).
     */
    public static ClusterLayout onCluster(ParallelismSpec spec, Integer gpuCount) {
        ParallelismSpec p = spec != null ? spec : new ParallelismSpec(null, null, null, null, null, null);
        return ClusterLayout.complete(p.data, orOne(p.tensor), orOne(p.pipeline), orOne(p.expert), orOne(p.context),
                orOne(p.virtualPipeline), gpuCount);
    }

    public static ParallelismSpec from(Parallelism p) {
        return new ParallelismSpec(p.data(), p.tensor(), p.pipeline(), p.expert(), p.context(), p.virtualPipeline());
    }

    private static int orOne(Integer value) {
        return value != null ? value : 1;
    }
}
