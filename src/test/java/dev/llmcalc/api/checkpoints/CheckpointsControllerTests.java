package dev.llmcalc.api.checkpoints;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(CheckpointsController.class)
class CheckpointsControllerTests {

    // BLOOM-176B: 176,247,271,424 parameters, bf16 mixed precision, Adam, TP 4 × PP 12 × DP 8 with ZeRO-1
    private static final String BLOOM = """
            {"parameters": 176247271424, "training": {"precision": "MIXED_BF16", "optimizer": "ADAM", "zeroStage": 1},
             "parallelism": {"data": 8, "tensor": 4, "pipeline": 12}%s}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String body) {
        return this.mvc.post().uri("/api/v1/checkpoints").contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    @Test
    void bloomShouldGiveTheReportedCheckpointAndWeights() {
        MvcTestResult result = post(BLOOM.formatted(""));
        assertThat(result).hasStatusOk();
        // 2Φ bf16 weights + 4Φ fp32 master + 8Φ Adam moments = 14Φ
        assertThat(number(result, "$.checkpoint.weightsBytes")).isEqualTo(352_494_542_848L);
        assertThat(number(result, "$.checkpoint.totalBytes")).isEqualTo(2_467_461_799_936L);
        assertThat(number(result, "$.export.bytes")).isEqualTo(352_494_542_848L);
        assertThat(result).bodyJson().extractingPath("$.export.precision").isEqualTo("BF16");
        assertThat(number(result, "$.sharding.ranks")).isEqualTo(384);
        assertThat(number(result, "$.sharding.perRankBytes")).isEqualTo(12_851_363_550L);
        assertThat(result).bodyJson().doesNotHavePath("$.save");
    }

    @Test
    void storageAndIntervalShouldGiveTheSaveTimeAndItsShare() {
        MvcTestResult result = post(BLOOM.formatted(", \"exportPrecision\": \"INT8\", \"storage\": "
                + "{\"writeBandwidthPerNode\": 5e9, \"aggregateWriteBandwidth\": 1e11}, \"checkpointEveryMinutes\": 180"));
        assertThat(result).hasStatusOk();
        assertThat(number(result, "$.export.bytes")).isEqualTo(176_247_271_424L);
        // the aggregate bound (2,467,461,799,936 B at 100 GB/s = 24.67 s) is slower than a node's (20.56 s)
        assertThat(number(result, "$.save.seconds")).isEqualTo(24.67461799936);
        assertThat(number(result, "$.save.savingFraction")).isEqualTo(24.67461799936 / (10_800 + 24.67461799936));
    }

    @Test
    void badInputShouldBe400NamingTheField() {
        assertProblem(post(BLOOM.formatted(", \"checkpointEveryMinutes\": 0")), 400, "checkpointEveryMinutes");
        assertProblem(post(BLOOM.formatted(", \"checkpointEveryMinutes\": -5")), 400, "checkpointEveryMinutes");
        assertProblem(post(BLOOM.formatted(", \"storage\": {\"writeBandwidthPerNode\": 0}")), 400,
                "storage.writeBandwidthPerNode");
        assertProblem(post(BLOOM.formatted(", \"exportPrecision\": \"INT3\"")), 400, "exportPrecision");
        assertProblem(post("{\"training\": {\"zeroStage\": 1}}"), 400, "model");
    }
}
