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

    @Test
    void unknownGpuShouldSayGpuNotPreset() {
        MvcTestResult result = this.mvc.get().uri("/api/v1/gpus/h800x").exchange();
        assertProblem(result, 404, "id");
        assertThat(result).bodyJson().extractingPath("$.detail").asString()
                .startsWith("unknown GPU 'h800x'; closest known ids: h800-sxm-80gb, ");
        assertThat(result).bodyJson().extractingPath("$.closest[0]").isEqualTo("h800-sxm-80gb");
    }

    @Test
    void vendorFilterShouldBeCaseInsensitive() {
        MvcTestResult amd = this.mvc.get().uri("/api/v1/gpus?vendor=amd").exchange();
        assertThat(amd).hasStatusOk();
        assertThat(amd).bodyJson().extractingPath("$[*].id").asArray()
                .containsExactly("mi250x-128gb", "mi300x-192gb", "mi325x-256gb", "mi355x-288gb");
        assertThat(amd).bodyJson().extractingPath("$[*].vendor").asArray().containsOnly("AMD");
        MvcTestResult google = this.mvc.get().uri("/api/v1/gpus?vendor=Google").exchange();
        assertThat(google).bodyJson().extractingPath("$[*].id").asArray()
                .containsExactly("tpu-v5e-16gb", "tpu-v5p-95gb", "tpu-v6e-32gb");
        MvcTestResult intel = this.mvc.get().uri("/api/v1/gpus?vendor=INTEL").exchange();
        assertThat(intel).bodyJson().extractingPath("$[*].id").asArray().containsExactly("gaudi3-128gb");
        MvcTestResult all = this.mvc.get().uri("/api/v1/gpus").exchange();
        assertThat(all).bodyJson().extractingPath("$.length()").asNumber().satisfies(
                (count) -> assertThat(count.intValue()).isGreaterThanOrEqualTo(25));
    }

    @Test
    void unknownVendorShouldBe400ListingTheVendors() {
        MvcTestResult result = this.mvc.get().uri("/api/v1/gpus?vendor=cerebras").exchange();
        assertProblem(result, 400, "vendor");
        assertThat(result).bodyJson().extractingPath("$.errors.vendor").asString()
                .contains("NVIDIA, AMD, INTEL, GOOGLE").contains("cerebras");
    }

    @Test
    void h800ShouldCarryHostLinkPowerAndVendor() {
        MvcTestResult result = this.mvc.get().uri("/api/v1/gpus/h800-sxm-80gb").exchange();
        assertThat(result).hasStatusOk();
        // H800 datasheet: H100 compute, NVLink 400 GB/s both ways = 200 per direction; PCIe Gen5 x16 128 GB/s both
        // ways = 64 per direction; 700 W; DeepSeek-V3 report: 50 GB/s InfiniBand per GPU
        assertThat(result).bodyJson().extractingPath("$.vendor").isEqualTo("NVIDIA");
        assertThat(result).bodyJson().extractingPath("$.peakFlops.BF16").isEqualTo(9.89e14);
        assertThat(result).bodyJson().extractingPath("$.intraNodeBandwidth").isEqualTo(2.0e11);
        assertThat(result).bodyJson().extractingPath("$.interNodeBandwidth").isEqualTo(5.0e10);
        assertThat(result).bodyJson().extractingPath("$.hostLinkBandwidth").isEqualTo(6.4e10);
        assertThat(result).bodyJson().extractingPath("$.boardPowerWatts").isEqualTo(700);
        assertThat(result).bodyJson().extractingPath("$.gpusPerNode").isEqualTo(8);
    }

    @Test
    void gb200AndTpuShouldSayWhatTheirNodeIsAndLeaveOutWhatIsUnpublished() {
        MvcTestResult gb200 = this.mvc.get().uri("/api/v1/gpus/gb200-nvl72-186gb").exchange();
        // NVL72: 72 GPUs on one NVLink domain; NVLink-C2C 900 GB/s both ways shared by two GPUs = 225 GB/s each way
        assertThat(gb200).bodyJson().extractingPath("$.gpusPerNode").isEqualTo(72);
        assertThat(gb200).bodyJson().extractingPath("$.hostLinkBandwidth").isEqualTo(2.25e11);
        // host memory of the node: 36 Grace CPUs × 480 GB (decimal, as published); a DGX H100's 2 TiB; none for a PCIe
        // card's unknown server
        assertThat(gb200).bodyJson().extractingPath("$.hostMemoryBytesPerNode").isEqualTo(36L * 480_000_000_000L);
        MvcTestResult dgx = this.mvc.get().uri("/api/v1/gpus/h100-sxm-80gb").exchange();
        assertThat(dgx).bodyJson().extractingPath("$.hostMemoryBytesPerNode").isEqualTo(2048L << 30);
        // the H100 SXM's 132 streaming multiprocessors (wave quantization); none published for the TPUs
        assertThat(dgx).bodyJson().extractingPath("$.multiprocessors").isEqualTo(132);
        assertThat(this.mvc.get().uri("/api/v1/gpus/h100-pcie-80gb").exchange()).bodyJson()
                .doesNotHavePath("$.hostMemoryBytesPerNode");
        MvcTestResult tpu = this.mvc.get().uri("/api/v1/gpus/tpu-v5e-16gb").exchange();
        // Google publishes neither a board power nor a host-link width for its TPUs; ICI spans the 256-chip pod
        assertThat(tpu).bodyJson().doesNotHavePath("$.boardPowerWatts");
        assertThat(tpu).bodyJson().doesNotHavePath("$.hostLinkBandwidth");
        assertThat(tpu).bodyJson().doesNotHavePath("$.multiprocessors");
        assertThat(tpu).bodyJson().extractingPath("$.gpusPerNode").isEqualTo(256);
        assertThat(tpu).bodyJson().extractingPath("$.peakFlops.INT8").isEqualTo(3.93e14);
    }
}
