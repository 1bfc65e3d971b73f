package dev.llmcalc.api.gpus;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(GpusController.class)
class GpusControllerTests {

    @Autowired
    private MockMvcTester mvc;

    @Test
    void catalogShouldListEveryRequiredGpu() {
        MvcTestResult result = this.mvc.get().uri("/api/v1/gpus").exchange();
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$[*].id").asArray().contains("a100-sxm-40gb", "a100-sxm-80gb",
                "h100-sxm-80gb", "h100-pcie-80gb", "h200-sxm-141gb", "b200-192gb", "mi250x-128gb", "mi300x-192gb",
                "l40s-48gb", "rtx-4090-24gb");
    }

    @Test
    void h100ShouldCarryItsDatasheetFigures() {
        MvcTestResult result = this.mvc.get().uri("/api/v1/gpus/H100-SXM-80GB").exchange();
        assertThat(result).hasStatusOk();
        // 80 GiB; dense BF16 989 TFLOP/s, FP8 1,979; HBM3 3.35 TB/s; NVLink 450 GB/s per direction
        assertThat(result).bodyJson().extractingPath("$.memoryBytes").isEqualTo(85_899_345_920L);
        assertThat(result).bodyJson().extractingPath("$.peakFlops.BF16").isEqualTo(9.89e14);
        assertThat(result).bodyJson().extractingPath("$.peakFlops.FP8").isEqualTo(1.979e15);
        assertThat(result).bodyJson().extractingPath("$.memoryBandwidth").isEqualTo(3.35e12);
        assertThat(result).bodyJson().extractingPath("$.intraNodeBandwidth").isEqualTo(4.5e11);
        assertThat(result).bodyJson().extractingPath("$.source").asString().contains("H100");
    }

    @Test
    void unknownGpuShouldBe404WithClosestIds() {
        MvcTestResult result = this.mvc.get().uri("/api/v1/gpus/h100").exchange();
        assertProblem(result, 404, "id");
        assertThat(result).bodyJson().extractingPath("$.closest").asArray().isNotEmpty();
    }
}
