package dev.llmcalc.api.comms;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(CollectivesController.class)
class CollectivesControllerTests {

    private static final String ALL_REDUCE = """
            {"collective": "ALL_REDUCE", "ranks": 8, "messageBytes": 1073741824}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String body) {
        return this.mvc.post().uri("/api/v1/collectives").contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    @Test
    void allReduceShouldSendTwiceSevenEighthsOfTheBufferWithTheDefaults() {
        // 2·7/8·2^30 = 1,879,048,192 bytes each way; 14 steps; 14·3.4 µs + 1,879,048,192 / 450e9 s
        MvcTestResult result = post(ALL_REDUCE);
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.bytesSentPerRank").isEqualTo(1_879_048_192);
        assertThat(result).bodyJson().extractingPath("$.bytesReceivedPerRank").isEqualTo(1_879_048_192);
        assertThat(result).bodyJson().extractingPath("$.perRole[0].role").isEqualTo("every rank");
        assertThat(result).bodyJson().extractingPath("$.perRole[0].ranks").isEqualTo(8);
        assertThat(result).bodyJson().extractingPath("$.steps").isEqualTo(14);
        assertThat(result).bodyJson().extractingPath("$.algorithm").isEqualTo("RING");
        assertThat(result).bodyJson().extractingPath("$.busBandwidthFactor").isEqualTo(1.75);
        assertThat(result).bodyJson().extractingPath("$.bandwidth").isEqualTo(450e9);
        assertThat(result).bodyJson().extractingPath("$.latencySeconds").isEqualTo(3.4e-6);
        assertThat(number(result, "$.seconds")).isCloseTo(14 * 3.4e-6 + 1_879_048_192 / 450e9, within(1e-15));
        // busbw approaches the link's 450 GB/s, minus the latency
        assertThat(number(result, "$.busBandwidth")).isCloseTo(450e9, within(15e9));
        assertThat(result).bodyJson().extractingPath("$.convention").asString().contains("NCCL bus bandwidth");
        assertThat(result).bodyJson().extractingPath("$.assumptions").asArray()
                .anySatisfy((line) -> assertThat(line).asString().contains("h100-sxm-80gb"));
    }

    @Test
    void broadcastShouldListRootRelaysAndLastRank() {
        MvcTestResult result = post("""
                {"collective": "BROADCAST", "ranks": 4, "messageBytes": 1000, "bandwidth": 1e9, "latencySeconds": 0}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.perRole[0]").isEqualTo(
                java.util.Map.of("role", "root", "ranks", 1, "bytesSent", 1000, "bytesReceived", 0));
        assertThat(result).bodyJson().extractingPath("$.perRole[1].role").isEqualTo("relay");
        assertThat(result).bodyJson().extractingPath("$.perRole[1].ranks").isEqualTo(2);
        assertThat(result).bodyJson().extractingPath("$.perRole[2].bytesReceived").isEqualTo(1000);
        assertThat(result).bodyJson().extractingPath("$.steps").isEqualTo(3);
        // 1000 B / 1e9 B/s
        assertThat(result).bodyJson().extractingPath("$.seconds").isEqualTo(1e-6);
    }

    @Test
    void scatterShouldSendTheRootsOtherShards() {
        MvcTestResult result = post("""
                {"collective": "SCATTER", "ranks": 8, "messageBytes": 800}""");
        assertThat(result).bodyJson().extractingPath("$.perRole[0].bytesSent").isEqualTo(700);
        assertThat(result).bodyJson().extractingPath("$.perRole[1].bytesReceived").isEqualTo(100);
        assertThat(result).bodyJson().extractingPath("$.bytesSentPerRank").isEqualTo(700);
        assertThat(result).bodyJson().extractingPath("$.busBandwidthFactor").isEqualTo(0.875);
    }

    @Test
    void treeShouldBeLogarithmicInSteps() {
        MvcTestResult result = post(ALL_REDUCE.replace("8,", "1024,").replace("}", ", \"algorithm\": \"TREE\"}"));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.steps").isEqualTo(20);
        assertThat(result).bodyJson().extractingPath("$.bytesSentPerRank").isEqualTo(2_147_483_648L);
        assertThat(result).bodyJson().doesNotHavePath("$.perRole[0].ranks");
    }

    @Test
    void oneRankShouldMoveNothing() {
        MvcTestResult result = post(ALL_REDUCE.replace("8,", "1,"));
        assertThat(result).bodyJson().extractingPath("$.bytesSentPerRank").isEqualTo(0);
        assertThat(result).bodyJson().extractingPath("$.steps").isEqualTo(0);
        assertThat(result).bodyJson().extractingPath("$.seconds").isEqualTo(0.0);
        assertThat(result).bodyJson().doesNotHavePath("$.algorithmBandwidth");
    }

    @Test
    void malformedJsonShouldBe400() {
        assertProblem(post("{\"collective\": "), 400, null);
        assertProblem(post(""), 400, "body");
        assertProblem(post(ALL_REDUCE + " x"), 400, "body");
        assertProblem(post(ALL_REDUCE.replace("}", ", \"root\": 0}")), 400, "root");
    }

    @Test
    void missingAndOutOfRangeFieldsShouldBe400NamingTheField() {
        assertProblem(post("{\"ranks\": 8, \"messageBytes\": 1}"), 400, "collective");
        assertProblem(post("{\"collective\": \"ALL_REDUCE\", \"messageBytes\": 1}"), 400, "ranks");
        assertProblem(post("{\"collective\": \"ALL_REDUCE\", \"ranks\": 8}"), 400, "messageBytes");
        assertProblem(post(ALL_REDUCE.replace("8,", "0,")), 400, "ranks");
        assertProblem(post(ALL_REDUCE.replace("8,", "1048577,")), 400, "ranks");
        assertProblem(post(ALL_REDUCE.replace("1073741824", "-1")), 400, "messageBytes");
        assertProblem(post(ALL_REDUCE.replace("1073741824", "1e30")), 400, "messageBytes");
        assertProblem(post(ALL_REDUCE.replace("}", ", \"bandwidth\": 0}")), 400, "bandwidth");
        assertProblem(post(ALL_REDUCE.replace("}", ", \"latencySeconds\": -1}")), 400, "latencySeconds");
        assertProblem(post(ALL_REDUCE.replace("8,", "\"eight\",")), 400, "ranks");
    }

    @Test
    void unknownEnumShouldBe400ListingTheChoices() {
        MvcTestResult result = post(ALL_REDUCE.replace("ALL_REDUCE", "ALLREDUCE"));
        assertProblem(result, 400, "collective");
        assertThat(result).bodyJson().extractingPath("$.errors.collective").asString()
                .contains("ALL_REDUCE", "ALL_TO_ALL", "BROADCAST");
        assertProblem(post(ALL_REDUCE.replace("}", ", \"algorithm\": \"BUTTERFLY\"}")), 400, "algorithm");
    }

    @Test
    void treeForAllGatherShouldBe422() {
        MvcTestResult result = post(ALL_REDUCE.replace("ALL_REDUCE", "ALL_GATHER").replace("}", ", \"algorithm\": \"TREE\"}"));
        assertProblem(result, 422, "algorithm");
    }

    @Test
    void bytesBeyondLongShouldBe422() {
        // 2·S exceeds 2^63 − 1
        assertProblem(post(ALL_REDUCE.replace("1073741824", "9000000000000000000")), 422, "bytesPerRank");
    }
}
