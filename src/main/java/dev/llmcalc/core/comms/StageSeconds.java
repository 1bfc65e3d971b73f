package dev.llmcalc.core.comms;

/**
 * One stage's communication seconds in a step, split by what compute can hide them ({@link OverlapWindow}).
 *
 * @param total every transfer's seconds
 * @param exposed the ledger's exposed seconds: transfers on the critical path, and what ring-attention passes leave
 *        beyond their block's attention
 * @param layerByLayer ZeRO-3's per-layer gathers and reduce-scatters ({@link OverlapWindow#LAYER_PHASE})
 * @param lastBackward gradient reductions behind the last micro-batch's backward ({@link OverlapWindow#LAST_BACKWARD})
 * @param eachBackward gradient reductions behind each micro-batch's backward, all micro-batches together
 *        ({@link OverlapWindow#EACH_BACKWARD})
 * @param weightGradient the column-parallel layers' input-gradient collectives, behind the weight-gradient GEMMs where
 *        the framework runs them asynchronously ({@link OverlapWindow#WEIGHT_GRADIENT})
 * @param tensorCritical the other tensor-parallel collectives, on the critical path (part of {@code exposed}) unless
 *        the framework pipelines them with their GEMMs (Transformer Engine userbuffers)
 * @param parameterGather ZeRO-1/2's all-gather of the updated weights after the optimizer (part of {@code exposed})
 *        unless the framework runs it behind the next forward (Megatron-Core {@code --overlap-param-gather})
 * @param expert the expert-parallel all-to-alls (part of {@code exposed}) unless the framework runs them behind other
 *        micro-batches' compute (DualPipe)
 * @param layerByLayerLatency the α part of {@code layerByLayer} (count × α × ring steps), which ZeRO-3's bandwidth
 *        share does not scale
 * @param pipeline the pipeline transfers (part of {@code exposed}: all on the critical path)
 * @param context the ring-attention passes ({@link OverlapWindow#ATTENTION_BLOCK})
 * @param contextExposed what they leave beyond their block's attention (part of {@code exposed})
 * @param pipelineSends of {@code pipeline}, the boundary sends and receives between stages, which an interleaved
 *        schedule can run behind compute (Megatron-LM {@code --overlap-p2p-communication}); the scatter/gather
 *        all-gathers and the tied embedding's all-reduce are not among them
 */
public record StageSeconds(double total, double exposed, double layerByLayer, double lastBackward,
        double eachBackward, double weightGradient, double tensorCritical, double parameterGather, double expert,
        double layerByLayerLatency, double pipeline, double context, double contextExposed, double pipelineSends) {

    /** Seconds without tensor-parallel, weight-gather or expert traffic to tell apart, ZeRO-3's all bandwidth. */
    public StageSeconds(double total, double exposed, double layerByLayer, double lastBackward, double eachBackward) {
        this(total, exposed, layerByLayer, lastBackward, eachBackward, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Seconds whose pipeline transfers are none of them boundary sends. */
    public StageSeconds(double total, double exposed, double layerByLayer, double lastBackward, double eachBackward,
            double weightGradient, double tensorCritical, double parameterGather, double expert,
            double layerByLayerLatency, double pipeline, double context, double contextExposed) {
        this(total, exposed, layerByLayer, lastBackward, eachBackward, weightGradient, tensorCritical, parameterGather,
                expert, layerByLayerLatency, pipeline, context, contextExposed, 0);
    }

    /**
     * The ledger's exposed seconds no parallelism above claims (none when the ledger built them, up to rounding, which
     * this drops; all of {@code exposed} for seconds built without the split): counted with context parallelism's so
     * that the step time loses none of them.
     */
    public double unclaimedExposed() {
        double rest = this.exposed - this.tensorCritical - this.parameterGather - this.expert - this.pipeline
                - this.contextExposed;
        return rest > 1e-9 * this.exposed ? rest : 0;
    }

    /**
     * What hides behind the whole step's compute ({@link OverlapWindow#STEP}: the sequence-parallel re-gathers); the
     * ring-attention passes hide behind their own blocks.
     */
    public double stepOverlapped() {
        return this.total - this.exposed - this.layerByLayer - this.lastBackward - this.eachBackward
                - this.weightGradient - (this.context - this.contextExposed);
    }

    /**
     * The running sums of one stage's transfers, in the ledger's order: the one classification both the ledger
     * ({@link StageTraffic#seconds()}) and the planner's pricing ({@link CommunicationSeconds}) apply, so their seconds
     * agree bit for bit.
     */
    static final class Sums {

        private double total;

        private double exposed;

        private double layerByLayer;

        private double lastBackward;

        private double eachBackward;

        private double weightGradient;

        private double tensorCritical;

        private double parameterGather;

        private double expert;

        private double layerByLayerLatency;

        private double pipeline;

        private double context;

        private double contextExposed;

        private double pipelineSends;

        void reset() {
            this.total = 0;
            this.exposed = 0;
            this.layerByLayer = 0;
            this.lastBackward = 0;
            this.eachBackward = 0;
            this.weightGradient = 0;
            this.tensorCritical = 0;
            this.parameterGather = 0;
            this.expert = 0;
            this.layerByLayerLatency = 0;
            this.pipeline = 0;
            this.context = 0;
            this.contextExposed = 0;
            this.pipelineSends = 0;
        }

        /**
         * One transfer: its seconds, the part compute does not hide in the ledger, and the α part (count × α × ring
         * steps), by what can hide them and the parallelism they serve.
         */
        void add(ParallelismKind kind, Collective collective, OverlapWindow window, double seconds, double exposed,
                double latency) {
            this.total += seconds;
            this.exposed += exposed;
            switch (window) {
                case LAYER_PHASE -> {
                    this.layerByLayer += seconds;
                    this.layerByLayerLatency += latency;
                }
                case LAST_BACKWARD -> this.lastBackward += seconds;
                case EACH_BACKWARD -> this.eachBackward += seconds;
                case WEIGHT_GRADIENT -> this.weightGradient += seconds;
                default -> {
                }
            }
            boolean critical = window == OverlapWindow.NONE;
            if (critical && kind == ParallelismKind.TENSOR) {
                this.tensorCritical += seconds;
            }
            // ZeRO-1/2's weight all-gather after the optimizer
            if (critical && kind == ParallelismKind.DATA && collective == Collective.ALL_GATHER) {
                this.parameterGather += seconds;
            }
            if (critical && kind == ParallelismKind.EXPERT) {
                this.expert += seconds;
            }
            if (kind == ParallelismKind.PIPELINE) {
                this.pipeline += seconds;
                if (collective == Collective.SEND_RECV) {
                    this.pipelineSends += seconds;
                }
            }
            if (kind == ParallelismKind.CONTEXT) {
                this.context += seconds;
                this.contextExposed += exposed;
            }
        }

        StageSeconds build() {
            return new StageSeconds(this.total, this.exposed, this.layerByLayer, this.lastBackward, this.eachBackward,
                    this.weightGradient, this.tensorCritical, this.parameterGather, this.expert,
                    this.layerByLayerLatency, this.pipeline, this.context, this.contextExposed, this.pipelineSends);
        }
    }
}
