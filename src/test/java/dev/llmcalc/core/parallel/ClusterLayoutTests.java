package dev.llmcalc.core.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.unit.InvalidInputException;

class ClusterLayoutTests {

    @Test
    void clusterWithoutDataDegreeShouldBeFilledByData() {
        // 64 GPUs, nothing else: data = 64 / (1 × 1 × 1)
        ClusterLayout layout = ClusterLayout.complete(null, 1, 1, 1, 1, 1, 64);
        assertThat(layout.parallelism()).isEqualTo(Parallelism.dataParallel(64));
        assertThat(layout.gpuCount()).isEqualTo(64);
        assertThat(layout.assumptions()).containsExactly("parallelism.data not given: 64, which fills the cluster "
                + "(cluster.gpuCount 64 / (tensor × pipeline × context = 1)).");
        // 2048 GPUs with t 8, p 16, c 2, e 4: data = 2048 / 256 = 8; expert 4 divides data × context = 16
        ClusterLayout megatron = ClusterLayout.complete(null, 8, 16, 4, 2, 2, 2048);
        assertThat(megatron.parallelism()).isEqualTo(new Parallelism(8, 8, 16, 4, 2, 2));
        assertThat(megatron.parallelism().gpuCount()).isEqualTo(2048);
    }

    @Test
    void layoutWithoutGpuCountShouldRunOnItsOwnProduct() {
        ClusterLayout layout = ClusterLayout.complete(8, 2, 2, 1, 1, 1, null);
        assertThat(layout.gpuCount()).isEqualTo(32);
        assertThat(layout.parallelism()).isEqualTo(new Parallelism(8, 2, 2, 1, 1));
        assertThat(layout.assumptions()).containsExactly("cluster.gpuCount not given: the layout's data × tensor × "
                + "pipeline × context = 32 GPUs.");
        // neither given: data 1 (an omitted degree is 1), one GPU per tensor × pipeline rank
        assertThat(ClusterLayout.complete(null, 4, 1, 1, 1, 1, null).gpuCount()).isEqualTo(4);
    }

    @Test
    void bothGivenShouldHaveToAgree() {
        ClusterLayout layout = ClusterLayout.complete(16, 4, 1, 1, 1, 1, 64);
        assertThat(layout.gpuCount()).isEqualTo(64);
        assertThat(layout.assumptions()).isEmpty();
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ClusterLayout.complete(8, 1, 1, 1, 1, 1, 64))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("cluster.gpuCount"))
                .satisfies((ex) -> assertThat(ex.reason())
                        .isEqualTo("is 64 but the layout uses data × tensor × pipeline × context = 8 GPUs"));
    }

    @Test
    void clusterNoDataDegreeFillsShouldNameTheGpuCount() {
        // t 8 × p 3 = 24 does not divide 64
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ClusterLayout.complete(null, 8, 3, 1, 1, 1, 64))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("cluster.gpuCount"))
                .satisfies((ex) -> assertThat(ex.reason()).contains("24 does not divide"));
        // 2^30 GPUs would need data 2^30 > the largest degree 2^20
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ClusterLayout.complete(null, 1, 1, 1, 1, 1, 1 << 30))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("cluster.gpuCount"));
        // 2^20 × 2^20 = 2^40 GPUs, beyond an int count
        int max = Parallelism.MAX_DEGREE;
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ClusterLayout.complete(max, max, 1, 1, 1, 1, null))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("cluster.gpuCount"));
    }
}
