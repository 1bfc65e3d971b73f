package dev.llmcalc.core.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.unit.InvalidInputException;
import org.junit.jupiter.api.Test;

class TrainingTimeTests {

    private static final long GPT3_PARAMETERS = 175_000_000_000L;

    private static final long GPT3_TOKENS = 300_000_000_000L;

    private static final Cluster A100S = new Cluster(GpuPresets.find("a100-sxm-80gb").orElseThrow(), 1024, 8);

    @Test
    void secondsWhenMegatronGpt3ShouldBe34Days() {
        // cases.json "compute"[1], Narayanan et al. 2021 §5.1: 8·T·P/(n·X) with P = 175e9, T = 300e9, n = 1024,
        // X = 140e12: 4.2e23 / 1.4336e17 = 2,929,687.5 s = 33.908 days (printed as 34)
        double seconds = TrainingTime.seconds(8.0 * GPT3_PARAMETERS * GPT3_TOKENS, 1024, 140e12);
        assertThat(seconds).isEqualTo(2_929_687.5);
        assertThat(seconds / 86_400).isCloseTo(33.91, within(0.005));
    }

    @Test
    void ofWhenMegatronGpt3ShouldReproduceItAtTheEquivalentMfu() {
        // Megatron's X = 140 TFLOP/s counts hardware FLOPs (8·T·P, full recomputation). The same run in model
        // FLOPs (6·T·P) proceeds at 140 · 6/8 = 105 TFLOP/s per GPU: MFU = 105/312 on an A100 (312 TFLOP/s),
        // HFU = 140/312
        TrainingCompute gpt3 = TrainingCompute.forParameters(GPT3_PARAMETERS, GPT3_TOKENS, Recomputation.FULL);
        TrainingTime time = TrainingTime.of(gpt3, A100S, 105.0 / 312.0);
        assertThat(time.seconds()).isCloseTo(2_929_687.5, withinPercentage(1e-10));
        assertThat(time.days()).isCloseTo(33.91, within(0.005));
        assertThat(time.hardwareFlopsUtilization()).isCloseTo(140.0 / 312.0, withinPercentage(1e-10));
        // 1024 · 2,929,687.5 s / 3600 = 833,333.33 GPU-hours; at $2 per GPU-hour $1,666,666.67
        assertThat(time.gpuHours()).isCloseTo(833_333.333, within(0.001));
        assertThat(time.cost(2.0)).isCloseTo(1_666_666.667, within(0.001));
        assertThat(time.cost(0.0)).isZero();
    }

    @Test
    void recomputationShouldRaiseHfuNotTime() {
        TrainingCompute none = TrainingCompute.forParameters(GPT3_PARAMETERS, GPT3_TOKENS, Recomputation.NONE);
        TrainingCompute full = TrainingCompute.forParameters(GPT3_PARAMETERS, GPT3_TOKENS, Recomputation.FULL);
        TrainingTime withoutRecomputation = TrainingTime.of(none, A100S, 0.4);
        TrainingTime withRecomputation = TrainingTime.of(full, A100S, 0.4);
        assertThat(withRecomputation.seconds()).isEqualTo(withoutRecomputation.seconds());
        assertThat(withoutRecomputation.hardwareFlopsUtilization()).isEqualTo(0.4);
        // 8ND / 6ND · 0.4
        assertThat(withRecomputation.hardwareFlopsUtilization()).isCloseTo(0.4 * 8 / 6, withinPercentage(1e-10));
    }

    @Test
    void mfuThatWouldNeedMoreThanPeakShouldBeRejected() {
        // full recomputation executes 8/6 of the model FLOPs: MFU above 0.75 needs HFU above 1
        TrainingCompute full = TrainingCompute.forParameters(GPT3_PARAMETERS, GPT3_TOKENS, Recomputation.FULL);
        assertThat(TrainingTime.of(full, A100S, 0.75).hardwareFlopsUtilization()).isCloseTo(1.0, within(1e-12));
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> TrainingTime.of(full, A100S, 0.8))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("mfu"))
                .withMessageContaining("106.7%").withMessageContaining("at most 0.7500");
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> TrainingTime.of(full, A100S, 0))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("mfu"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> TrainingTime.of(full, A100S, 0.4).cost(-1))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("pricePerGpuHour"));
    }

    @Test
    void timesTooLongToRepresentShouldBeRejected() {
        TrainingCompute huge = TrainingCompute.forParameters(Long.MAX_VALUE, Long.MAX_VALUE, Recomputation.NONE);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> TrainingTime.of(huge, A100S, Double.MIN_VALUE))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("mfu"));
    }
}
