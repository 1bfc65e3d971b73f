package dev.llmcalc.core.plan;

/**
 * The exposed communication of a step's slowest stage by the parallelism it serves: what compute did not hide, as
 * {@link StepTimeModel} prices each transfer behind its own window.
 *
 * @param data data parallelism and ZeRO (gradient reductions, weight gathers, ZeRO-3's per-layer traffic)
 * @param tensor tensor and sequence parallelism (the layers', the embedding's and the LM head's collectives)
 * @param pipeline pipeline parallelism (boundary sends, their scatter/gather, the tied embedding's all-reduce)
 * @param expert expert parallelism (the all-to-alls)
 * @param context context parallelism (what ring-attention passes leave beyond their block's attention)
 * @param largest the parallelism that exposes the most ({@code data}, {@code tensor}, {@code pipeline},
 *        {@code expert} or {@code context}), or {@code none}
 */
public record ExposedCommunication(double data, double tensor, double pipeline, double expert, double context,
        String largest) {

    /** Nothing exposed. */
    public static final ExposedCommunication NONE = of(0, 0, 0, 0, 0);

    /** The seconds by parallelism, naming the largest. */
    public static ExposedCommunication of(double data, double tensor, double pipeline, double expert, double context) {
        String largest = "none";
        double most = 0;
        double[] seconds = { data, tensor, pipeline, expert, context };
        String[] names = { "data", "tensor", "pipeline", "expert", "context" };
        for (int i = 0; i < seconds.length; i++) {
            if (seconds[i] > most) {
                most = seconds[i];
                largest = names[i];
            }
        }
        return new ExposedCommunication(data, tensor, pipeline, expert, context, largest);
    }

    /** All of it: the step time's exposed communication. */
    public double total() {
        return this.data + this.tensor + this.pipeline + this.expert + this.context;
    }
}
