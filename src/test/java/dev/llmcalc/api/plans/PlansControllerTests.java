package dev.llmcalc.api.plans;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.llmcalc.ops.PlannerMetrics;

@WebMvcTest({ PlansController.class, ChecksController.class })
@Import(PlansControllerTests.Metrics.class)
class PlansControllerTests {

    @TestConfiguration
    static class Metrics {

        @Bean
        PlannerMetrics plannerMetrics() {
            return new PlannerMetrics(new SimpleMeterRegistry());
        }
    }

    private static final String LLAMA_7B_ON_8_H100 = """
            {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
             "training": {"precision": "MIXED_BF16", "optimizer": "ADAMW"},
             "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}, "limit": 5}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    @Test
    void loraShouldBeRefusedByTheSearchNotIgnored() {
        assertProblem(post("/api/v1/plans", LLAMA_7B_ON_8_H100.replace("\"optimizer\": \"ADAMW\"",
                "\"optimizer\": \"ADAMW\", \"method\": \"LORA\"")), 422, "training.method");
    }

    @Test
    void plansShouldRefuseAShardGroupAndChecksShouldHonourIt() {
        assertProblem(post("/api/v1/plans", LLAMA_7B_ON_8_H100.replace("\"optimizer\": \"ADAMW\"",
                "\"optimizer\": \"ADAMW\", \"zeroStage\": 3, \"shardGroupSize\": 4")), 422, "training.shardGroupSize");
        String check = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 64},
                 "training": {"zeroStage": 3%s}, "parallelism": {"data": 16},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 16}}""";
        MvcTestResult hybrid = post("/api/v1/checks", check.formatted(", \"shardGroupSize\": 8"));
        MvcTestResult full = post("/api/v1/checks", check.formatted(""));
        assertThat(hybrid).hasStatusOk();
        // Φ = 6,738,415,616: 16Φ/8 = 13,476,831,232 B of model states against 16Φ/16 = 6,738,415,616 B
        assertThat(hybrid).bodyJson().extractingPath("$.estimate.modelStatesBytes").convertTo(Long.class)
                .isEqualTo(13_476_831_232L);
        assertThat(full).bodyJson().extractingPath("$.estimate.modelStatesBytes").convertTo(Long.class)
                .isEqualTo(6_738_415_616L);
        assertProblem(post("/api/v1/checks", check.formatted(", \"shardGroupSize\": 5")), 422,
                "training.shardGroupSize");
    }

    @Test
    void checksWhenQloraShouldUseTheFineTuningMemoryAndFlops() {
        String body = """
                {"model": {"preset": "llama-3-8b"}, "batch": {"sequenceLength": 2048, "globalBatchSize": 16},
                 "activations": {"recomputation": "FULL"}, "cluster": {"gpu": "rtx-4090-24gb", "gpuCount": 1},
                 "training": %s}""";
        String qlora = "{\"method\": \"QLORA\", \"lora\": {\"rank\": 16, \"targetModules\": [\"q\", \"k\", "
                + "\"v\", \"o\", \"gate\", \"up\", \"down\"]}}";
        MvcTestResult adapted = post("/api/v1/checks", body.formatted(qlora));
        MvcTestResult full = post("/api/v1/checks", body.formatted("{}"));
        assertThat(adapted).hasStatusOk();
        // the README's worked example: QLoRA fits one 24 GiB GPU with the same total as /memory/training
        assertThat(adapted).bodyJson().extractingPath("$.pass").isEqualTo(true);
        assertThat(adapted).bodyJson().extractingPath("$.estimate.modelStatesBytes").convertTo(Long.class)
                .isEqualTo(6_490_824_704L);
        assertThat(adapted).bodyJson().extractingPath("$.estimate.perGpuBytes").convertTo(Long.class)
                .isEqualTo(11_782_968_116L);
        assertThat(full).bodyJson().extractingPath("$.pass").isEqualTo(false);
        // fewer FLOPs per step (2F + S + 3A against 3F) and full recomputation's extra forward in both
        assertThat(number(adapted, "$.estimate.step.computeSeconds"))
                .isLessThan(number(full, "$.estimate.step.computeSeconds") * 0.8);
        assertThat(adapted).bodyJson().extractingPath("$.assumptions").asArray()
                .anySatisfy((line) -> assertThat(line.toString()).startsWith("QLORA"));
    }

    @Test
    void llama7bOnEightH100ShouldReturnPlansThatFitAndMatchTheTrainingEndpoint() {
        MvcTestResult result = post("/api/v1/plans", LLAMA_7B_ON_8_H100);
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.plans").asArray().hasSize(5);
        assertThat(number(result, "$.plans[0].headroomBytes")).isPositive();
        assertThat(number(result, "$.plans[0].perGpuBytes")).isEqualTo(number(result, "$.plans[0].memory.modelStatesBytes")
                + number(result, "$.plans[0].memory.activationsBytes") + number(result, "$.plans[0].memory.transientBytes")
                + number(result, "$.plans[0].memory.frameworkBytes"));
        assertThat(number(result, "$.plans[0].step.totalSeconds"))
                .isLessThanOrEqualTo(number(result, "$.plans[4].step.totalSeconds"));
        assertThat(number(result, "$.evaluated")).isGreaterThan(0);
        assertThat(number(result, "$.plans[0].stepSeconds")).isEqualTo(number(result, "$.plans[0].step.totalSeconds"));
    }

    @Test
    void aSearchShouldHonourDropoutAndAStackWithoutSequenceParallelism() {
        String stack2021 = LLAMA_7B_ON_8_H100.replace("\"limit\": 5", "\"limit\": 50, \"activations\": "
                + "{\"dropout\": true, \"residualDropout\": true, \"sequenceParallel\": false}");
        MvcTestResult old = post("/api/v1/plans", stack2021);
        assertThat(old).hasStatusOk();
        assertThat(old).bodyJson().extractingPath("$.plans[*].sequenceParallel").asArray().containsOnly(false);
        assertThat(old).bodyJson().extractingPath("$.assumptions[0]").asString()
                .contains("no sequence parallelism").contains("attention and residual dropout on");
        MvcTestResult modern = post("/api/v1/plans", LLAMA_7B_ON_8_H100);
        assertThat(modern).bodyJson().extractingPath("$.assumptions[0]").asString().contains("dropout off");
        // dropout's masks and kernels cost time: the 2021 stack's best plan is slower
        assertThat(number(old, "$.plans[0].stepSeconds")).isGreaterThan(number(modern, "$.plans[0].stepSeconds"));
    }

    @Test
    void aSearchShouldTryTheRecomputeModuleSetsItIsGiven() {
        // Llama-3.1-70B on 16 H100 at ZeRO-3: recomputing the attention core alone fits nowhere; the module set
        // core_attn + mlp + layernorm (Megatron-Core --recompute-modules) fits, and the plans say they use it
        String body = """
                {"model": {"preset": "llama-3.1-70b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 64},
                 "training": {"zeroStage": 3}, "activations": {"recomputation": "SELECTIVE"},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 16}, "limit": 3,
                 "constraints": {"maxContext": 1, "maxMicroBatchSize": 16%s}}""";
        MvcTestResult attentionOnly = post("/api/v1/plans", body.formatted(""));
        assertThat(attentionOnly).hasStatusOk();
        assertThat(number(attentionOnly, "$.fitting")).isZero();
        MvcTestResult modules = post("/api/v1/plans", body.formatted(
                ", \"recomputeModules\": [[\"layernorm\", \"mlp\", \"core_attn\"]]"));
        assertThat(modules).hasStatusOk();
        assertThat(number(modules, "$.fitting")).isPositive();
        assertThat(number(modules, "$.evaluated")).isEqualTo(2 * number(attentionOnly, "$.evaluated"));
        assertThat(modules).bodyJson().extractingPath("$.plans[0].recomputation").isEqualTo("SELECTIVE");
        assertThat(modules).bodyJson().extractingPath("$.plans[0].recomputeModules").asArray()
                .containsExactly("core_attn", "mlp", "layernorm");
        // a plan without module sets says nothing about them
        MvcTestResult plain = post("/api/v1/plans", LLAMA_7B_ON_8_H100);
        assertThat(plain).bodyJson().doesNotHavePath("$.plans[0].recomputeModules");
        // an unknown module is named by its place; module sets need SELECTIVE among the modes searched
        assertProblem(post("/api/v1/plans", body.formatted(", \"recomputeModules\": [[\"mlp\", \"attention\"]]")),
                422, "constraints.recomputeModules[0][1]");
        assertProblem(post("/api/v1/plans", body.formatted(", \"recomputeModules\": [[\"mlp\"]]")
                .replace("SELECTIVE", "FULL")), 422, "constraints.recomputeModules");
        assertProblem(post("/api/v1/plans", body.formatted(", \"recomputeModules\": [[]]")), 400,
                "constraints.recomputeModules[0]");
        // a module the model does not have (Llama-3.1-70B has no MoE layers)
        assertProblem(post("/api/v1/plans", body.formatted(", \"recomputeModules\": [[\"mlp\"], [\"moe\"]]")),
                422, "constraints.recomputeModules[1][0]");
    }

    @Test
    void aSearchShouldTryInterleavedPipelinesUpToTheLimit() {
        // 32 layers on 8 H100s with pipelines of 2 and 4 (t = 1 so a pipeline is needed for many layouts): with
        // interleaving allowed, some listed plans interleave; with maxVirtualPipeline 1 none does
        String body = LLAMA_7B_ON_8_H100.replace("\"limit\": 5", "\"limit\": 1000, \"constraints\": {\"maxTensor\": 1}");
        MvcTestResult interleaved = post("/api/v1/plans", body);
        assertThat(interleaved).bodyJson().extractingPath("$.plans[*].parallelism.virtualPipeline").asArray()
                .contains(2, 4);
        MvcTestResult flat = post("/api/v1/plans", body.replace("\"maxTensor\": 1", "\"maxTensor\": 1, "
                + "\"maxVirtualPipeline\": 1"));
        assertThat(flat).bodyJson().extractingPath("$.plans[*].parallelism.virtualPipeline").asArray().containsOnly(1);
    }

    @Test
    void aMixtureOfExpertsSearchShouldExplainEveryExpertDegree() {
        MvcTestResult result = post("/api/v1/plans", """
                {"model": {"preset": "mixtral-8x7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 512},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 64}, "limit": 3}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.expertParallel[*].expert").asArray().containsExactly(1, 2, 4, 8);
        assertThat(number(result, "$.expertParallel[3].best.stepSeconds"))
                .isGreaterThanOrEqualTo(number(result, "$.plans[0].stepSeconds"));
        assertThat(number(result, "$.expertParallel[3].rejected['expert parallel does not divide data × context']"))
                .isPositive();
        MvcTestResult tooSmall = post("/api/v1/plans", """
                {"model": {"preset": "mixtral-8x7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 512},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}}""");
        assertThat(tooSmall).bodyJson().doesNotHavePath("$.expertParallel[0].best");
        assertThat(number(tooSmall, "$.expertParallel[0].rejected['does not fit in GPU memory']"))
                .isEqualTo(number(tooSmall, "$.expertParallel[0].evaluated"));
        assertThat(post("/api/v1/plans", LLAMA_7B_ON_8_H100)).bodyJson().doesNotHavePath("$.expertParallel");
        assertProblem(post("/api/v1/plans", LLAMA_7B_ON_8_H100.replace("\"limit\": 5",
                "\"constraints\": {\"expert\": 2}")), 422, "constraints.expert");
        assertProblem(post("/api/v1/plans", """
                {"model": {"preset": "mixtral-8x7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 512},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 64}, "constraints": {"expert": 3}}"""), 422,
                "constraints.expert");
    }

    @Test
    void aSearchAllowedToOffloadShouldFindPlansThatFitOnlyWithTheOptimizerOnTheCpu() throws Exception {
        // Llama-2-7B on one A100 80 GB: 16 bytes per parameter (107.8 GB) cannot fit; with the optimizer on the CPU
        // the GPU keeps the bf16 weights and gradients (4Φ = 27 GB) and the plan pays the CPU step (Φ / 3.89e9 per
        // second = 1.73 s) and the host-link trips
        String body = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 16},
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 1}, "limit": 3%s}""";
        MvcTestResult onGpu = post("/api/v1/plans", body.formatted(""));
        assertThat(onGpu).bodyJson().extractingPath("$.plans").asArray().isEmpty();
        MvcTestResult offloaded = post("/api/v1/plans", body.formatted(", \"constraints\": {\"allowOffload\": true}"));
        assertThat(offloaded).hasStatusOk();
        assertThat(offloaded).bodyJson().extractingPath("$.plans[0].offload.optimizer").isEqualTo("CPU");
        assertThat(number(offloaded, "$.plans[0].step.offload.cpuOptimizerSeconds"))
                .isCloseTo(6_738_415_616.0 / (10e9 / 2.57), within(1e-6));
        assertThat(number(offloaded, "$.plans[0].stepSeconds")).isGreaterThan(1.73);
        // at ZeRO-3 the parameters may go to the CPU too (ZeRO-Infinity): the plans include such layouts
        assertThat(offloaded).bodyJson().extractingPath("$.plans[*].offload.parameters").asArray().contains("CPU");
        // /checks prices each listed plan the same
        String json = offloaded.getResponse().getContentAsString();
        for (int i = 0; i < 3; i++) {
            MvcTestResult check = post("/api/v1/checks", """
                    {"model": {"preset": "llama-2-7b"},
                     "batch": {"microBatchSize": %d, "sequenceLength": 4096, "globalBatchSize": 16},
                     "training": {"zeroStage": %d, "offload": {"optimizer": "CPU", "parameters": "%s"}},
                     "activations": {"recomputation": "%s"}, "parallelism": {"data": 1},
                     "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 1}}""".formatted(
                    (long) number(offloaded, "$.plans[" + i + "].microBatchSize"),
                    (long) number(offloaded, "$.plans[" + i + "].zeroStage"),
                    com.jayway.jsonpath.JsonPath.read(json, "$.plans[" + i + "].offload.parameters"),
                    com.jayway.jsonpath.JsonPath.read(json, "$.plans[" + i + "].recomputation")));
            assertThat(number(check, "$.estimate.step.totalSeconds"))
                    .isEqualTo(number(offloaded, "$.plans[" + i + "].stepSeconds"));
            assertThat(number(check, "$.estimate.perGpuBytes"))
                    .isEqualTo(number(offloaded, "$.plans[" + i + "].perGpuBytes"));
        }
        // a node whose host memory cannot hold the CPU optimizer's 16Φ of fp32 states and gradients: no plan, and why
        MvcTestResult tight = post("/api/v1/plans", body.formatted(", \"constraints\": {\"allowOffload\": true}")
                .replace("\"gpuCount\": 1}", "\"gpuCount\": 1, \"hostMemoryBytesPerNode\": 100000000000}"));
        assertThat(tight).hasStatusOk();
        assertThat(tight).bodyJson().extractingPath("$.plans").asArray().isEmpty();
        assertThat(number(tight, "$.rejected['offloaded states do not fit in the node\\'s host memory']"))
                .isPositive();
        MvcTestResult roomy = post("/api/v1/plans", body.formatted(", \"constraints\": {\"allowOffload\": true}")
                .replace("\"gpuCount\": 1}", "\"gpuCount\": 1, \"hostMemoryBytesPerNode\": 110000000000}"));
        assertThat(roomy).bodyJson().extractingPath("$.plans[0].offload.optimizer").isEqualTo("CPU");
        // /checks of the same plan on the small node fails on the node's host memory
        MvcTestResult failing = post("/api/v1/checks", """
                {"model": {"preset": "llama-2-7b"},
                 "batch": {"microBatchSize": 1, "sequenceLength": 4096, "globalBatchSize": 16},
                 "training": {"zeroStage": 1, "offload": {"optimizer": "CPU"}}, "parallelism": {"data": 1},
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 1, "hostMemoryBytesPerNode": 100000000000}}""");
        assertThat(failing).bodyJson().extractingPath("$.pass").isEqualTo(false);
        assertThat(failing).bodyJson().extractingPath("$.violations[0].requirement").isEqualTo("hostMemoryBytesPerNode");
        assertThat(number(failing, "$.violations[0].actual")).isEqualTo(16.0 * 6_738_415_616L);
        // training.offload fixes it; at ZeRO-0 there is nothing to offload from
        assertProblem(post("/api/v1/plans", body.formatted(", \"training\": {\"zeroStage\": 0, \"offload\": "
                + "{\"optimizer\": \"CPU\"}}")), 422, "training.offload.optimizer");
    }

    @Test
    void aSearchShouldTryEachListedPrecisionAndSayWhichAPlanUses() {
        MvcTestResult both = post("/api/v1/plans", LLAMA_7B_ON_8_H100.replace("\"training\": {\"precision\": "
                + "\"MIXED_BF16\", \"optimizer\": \"ADAMW\"}", "\"constraints\": {\"precisions\": "
                + "[\"MIXED_BF16\", \"MIXED_FP8\"]}"));
        assertThat(both).hasStatusOk();
        assertThat(both).bodyJson().extractingPath("$.plans[0].precision").isEqualTo("MIXED_FP8");
        MvcTestResult bf16 = post("/api/v1/plans", LLAMA_7B_ON_8_H100);
        assertThat(bf16).bodyJson().extractingPath("$.plans[0].precision").isEqualTo("MIXED_BF16");
        assertThat(number(both, "$.plans[0].stepSeconds")).isLessThan(number(bf16, "$.plans[0].stepSeconds"));
        // an A100 has no FP8 peak: the entry is named
        assertProblem(post("/api/v1/plans", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8},
                 "constraints": {"precisions": ["MIXED_BF16", "MIXED_FP8"]}}"""), 422, "constraints.precisions[1]");
        assertProblem(post("/api/v1/plans", LLAMA_7B_ON_8_H100.replace("\"limit\": 5",
                "\"constraints\": {\"precisions\": [\"MIXED_FP8\"]}")), 400, "constraints.precisions");
    }

    @Test
    void llama70bOnEightA100_40ShouldExplainWhyNothingFits() {
        MvcTestResult result = post("/api/v1/plans", """
                {"model": {"preset": "llama-3.1-70b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "cluster": {"gpu": "a100-sxm-40gb", "gpuCount": 8}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.plans").asArray().isEmpty();
        assertThat(number(result, "$.rejected['does not fit in GPU memory']")).isEqualTo(number(result, "$.evaluated"));
    }

    @Test
    void checkShouldPassOrFailWith200AndNameTheViolation() {
        String plan = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "training": {"zeroStage": 1}, "parallelism": {"data": 8},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}, "requirements": %s}""";
        MvcTestResult pass = post("/api/v1/checks", plan.formatted("{\"maxMemoryFraction\": 0.9}"));
        assertThat(pass).hasStatusOk();
        assertThat(pass).bodyJson().extractingPath("$.pass").isEqualTo(true);
        assertThat(pass).bodyJson().extractingPath("$.estimate.perGpuBytes").isEqualTo(63_129_744_077L);
        MvcTestResult fail = post("/api/v1/checks", plan.formatted(
                "{\"maxMemoryFraction\": 0.5, \"maxTrainingDays\": 30, \"tokens\": 2000000000000}"));
        assertThat(fail).hasStatusOk();
        assertThat(fail).bodyJson().extractingPath("$.pass").isEqualTo(false);
        assertThat(fail).bodyJson().extractingPath("$.violations[*].requirement").asArray()
                .containsExactly("maxMemoryFraction", "maxTrainingDays");
        assertThat(fail).bodyJson().extractingPath("$.violations[0].limit").isEqualTo(0.5);
    }

    @Test
    void checksShouldPriceTheRecomputedModulesForwardFlops() {
        String plan = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "training": {"zeroStage": 1}, "parallelism": {"data": 8},
                 "activations": {"recomputation": "SELECTIVE", "attention": "EAGER"%s},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}}""";
        String path = "$.estimate.step.kernels.recomputationSeconds";
        double attentionCore = number(post("/api/v1/checks", plan.formatted("")), path);
        String modules = ", \"recomputeModules\": [\"core_attn\", \"mlp\"]";
        double withMlp = number(post("/api/v1/checks", plan.formatted(modules)), path);
        // recomputing the MLP too runs its forward GEMMs again: 8,657,043,456 FLOPs per token over the rank's
        // 1,024 / 8 × 4,096 = 524,288 tokens at the H100's 989 TFLOP/s × its GEMM share 0.625, slowed by the layer's
        // wave quantization on 132 SMs: the 256 × 128 tiles of its outputs fill 1,536 of 1,584, 512 of 528, 2,752 of
        // 2,772 and 1,376 of 1,452 slots, 0.97306 of the share by FLOPs
        double a = 1536.0 / 1584;
        double b = 2752.0 / 2772;
        double c = 1376.0 / 1452;
        double qkv = 12288.0 * 4096;
        double o = 4096.0 * 4096;
        double in = 22016.0 * 4096;
        double down = 4096.0 * 11008;
        double waves = 3 * (qkv + o + in + down) / (qkv / a + qkv / a + qkv / a + 3 * o / a + in / b + in / a + in / b
                + down / a + down / c + down / c);
        assertThat(waves).isCloseTo(0.97306, within(1e-5));
        // and its SwiGLU kernel: gate and up read, the product written, 3 × 11,008 × 2 bytes per token and layer, 32
        // layers, at the H100's 3.35 TB/s × its element-wise share 0.70
        double activation = 524_288.0 * 32 * 3 * 11_008 * 2 / (3.35e12 * 0.70);
        assertThat(withMlp - attentionCore).isCloseTo(524_288 * 8_657_043_456.0 / (989e12 * 0.625) / waves
                + activation, within(1e-9));
    }

    @Test
    void plansShouldRefuseFp8OnAGpuWithoutAnFp8Peak() {
        MvcTestResult result = post("/api/v1/plans", """
                {"model": {"preset": "llama-3-8b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 64},
                 "training": {"precision": "MIXED_FP8"}, "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}}""");
        assertThat(result).hasStatus(422);
        assertThat(result).bodyJson().extractingPath("$.errors['training.precision']").asString()
                .contains("a100-sxm-80gb has no FP8 peak");
    }

    @Test
    void checksShouldCalibrateTheKernelSharesToAMeasuredStep() {
        String plan = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 256},
                 "training": {"zeroStage": 1}, "parallelism": {"data": 8},
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}%s}""";
        double predicted = number(post("/api/v1/checks", plan.formatted("")), "$.estimate.step.totalSeconds");
        // measured 20 % slower than predicted: the fitted shares bring the step time to within 2 % of it
        MvcTestResult calibrated = post("/api/v1/checks",
                plan.formatted(", \"calibration\": {\"measuredStepSeconds\": " + 1.2 * predicted + "}"));
        assertThat(number(calibrated, "$.estimate.step.totalSeconds")).isCloseTo(1.2 * predicted,
                within(0.02 * 1.2 * predicted));
        assertThat(Math.abs(number(calibrated, "$.calibration.residuals[0].error"))).isLessThan(0.02);
        double matmul = number(calibrated, "$.calibration.kernelEfficiency.matmul");
        assertThat(matmul).isLessThan(0.68).isEqualTo(number(calibrated, "$.estimate.step.kernelEfficiency.matmul"));
        // sent again as kernelEfficiency, the fitted shares answer the same step time
        String again = ", \"kernelEfficiency\": {\"matmul\": %s, \"attention\": %s, \"memoryBound\": %s}".formatted(
                matmul, number(calibrated, "$.calibration.kernelEfficiency.attention"),
                number(calibrated, "$.calibration.kernelEfficiency.memoryBound"));
        assertThat(number(post("/api/v1/checks", plan.formatted(again)), "$.estimate.step.totalSeconds"))
                .isCloseTo(number(calibrated, "$.estimate.step.totalSeconds"), within(1e-9));
        MvcTestResult bad = post("/api/v1/checks", plan.formatted(", \"calibration\": {\"measuredStepSeconds\": -1}"));
        assertThat(bad).hasStatus4xxClientError();
        assertThat(bad).bodyJson().extractingPath("$.errors['calibration.measuredStepSeconds']").isNotNull();
        // 20 % is beyond the model's own error (σ 0.08): most of it is taken as the GPU's, 1 − 0.0064 / ln²1.2
        assertThat(number(calibrated, "$.calibration.gpuWideShare")).isCloseTo(0.8075, within(0.005));
        assertThat(number(calibrated, "$.calibration.modelError")).isEqualTo(0.08);
        assertThat(calibrated).bodyJson().extractingPath("$.calibration.residuals[0].requestModel").isEqualTo(true);
        MvcTestResult share = post("/api/v1/checks", plan.formatted(", \"calibration\": {\"measuredStepSeconds\": 3, "
                + "\"modelError\": 2}"));
        assertThat(share).hasStatus4xxClientError();
        assertThat(share).bodyJson().extractingPath("$.errors['calibration.modelError']").isNotNull();
    }

    @Test
    void checksAndPlansShouldCalibrateToOtherMeasuredRunsOfTheGpu() {
        // two measured runs of Llama-2-7B on A100s, one in step seconds and one in model TFLOP/s per GPU, both 25 %
        // slower than predicted: the fit brings both within 2 % and the search prices every plan with those shares
        String run = """
                {"batch": {"microBatchSize": %d, "sequenceLength": 4096, "globalBatchSize": 256},
                 "training": {"zeroStage": 1}, "parallelism": {"data": %d, "tensor": %d},
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}}""";
        String first = run.formatted(1, 8, 1);
        String second = run.formatted(2, 4, 2);
        String model = "\"model\": {\"preset\": \"llama-2-7b\"}, ";
        MvcTestResult a = post("/api/v1/checks", "{" + model + first.substring(1));
        MvcTestResult b = post("/api/v1/checks", "{" + model + second.substring(1));
        double slowA = 1.25 * number(a, "$.estimate.step.totalSeconds");
        // TFLOP/s per GPU = MFU × the dense BF16 peak (312) / 1.25
        double tflopsB = number(b, "$.estimate.mfu") * 312 / 1.25;
        String calibration = "\"calibration\": {\"runs\": [" + first.substring(0, first.length() - 1)
                + ", \"measuredStepSeconds\": " + slowA + "}, " + second.substring(0, second.length() - 1)
                + ", \"measuredTflopsPerGpu\": " + tflopsB + "}]}";
        MvcTestResult plans = post("/api/v1/plans", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 256},
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}, "limit": 3, %s}""".formatted(calibration));
        assertThat(plans).hasStatusOk();
        assertThat(Math.abs(number(plans, "$.calibration.residuals[0].error"))).isLessThan(0.02);
        assertThat(Math.abs(number(plans, "$.calibration.residuals[1].error"))).isLessThan(0.02);
        assertThat(number(plans, "$.calibration.residuals[1].measuredStepSeconds"))
                .isCloseTo(1.25 * number(b, "$.estimate.step.totalSeconds"), within(1e-6));
        assertThat(number(plans, "$.plans[0].step.kernelEfficiency.matmul"))
                .isEqualTo(number(plans, "$.calibration.kernelEfficiency.matmul")).isLessThan(0.68);
        assertThat(plans).bodyJson().extractingPath("$.plans[0].step.kernelEfficiency.source").asString()
                .startsWith("calibrated");
        // the runs are of the request's model: it prices itself with their fit
        assertThat(plans).bodyJson().extractingPath("$.calibration.residuals[0].requestModel").isEqualTo(true);
        // a search for Llama-2-13B with the same 7B runs: 25 % is beyond the model's own error (σ 0.08), so the 13B
        // takes that fit to the power g = 1 − 0.0064 / ln²1.25 = 0.8715
        MvcTestResult other = post("/api/v1/plans", """
                {"model": {"preset": "llama-2-13b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 256},
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}, "limit": 3, %s}""".formatted(calibration
                .replace("{\"batch\"", "{\"model\": {\"preset\": \"llama-2-7b\"}, \"batch\"")));
        assertThat(other).hasStatusOk();
        assertThat(other).bodyJson().extractingPath("$.calibration.residuals[0].requestModel").isEqualTo(false);
        double g = number(other, "$.calibration.gpuWideShare");
        assertThat(g).isCloseTo(0.8715, within(0.01));
        assertThat(number(other, "$.calibration.scale")).isCloseTo(Math.pow(number(plans, "$.calibration.scale"), g),
                within(1e-6));
        assertThat(number(other, "$.plans[0].step.kernelEfficiency.matmul"))
                .isEqualTo(number(other, "$.calibration.kernelEfficiency.matmul"))
                .isGreaterThan(number(plans, "$.calibration.kernelEfficiency.matmul"));
        // /checks fits its own plan and the runs together
        MvcTestResult check = post("/api/v1/checks", "{" + model + first.substring(1, first.length() - 1) + ", "
                + calibration.replace("{\"runs\"", "{\"measuredStepSeconds\": " + slowA + ", \"runs\"") + "}");
        assertThat(check).hasStatusOk();
        assertThat(check).bodyJson().extractingPath("$.calibration.residuals").asArray().hasSize(3);
        // what cannot be calibrated is named
        assertProblem(post("/api/v1/plans", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 256},
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}, "calibration": {"measuredStepSeconds": 3}}"""),
                400, "calibration.measuredStepSeconds");
        assertProblem(post("/api/v1/plans", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 256},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}, %s}""".formatted(calibration)), 422,
                "calibration.runs[0].cluster.gpu");
        assertProblem(post("/api/v1/plans", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 256},
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}, "calibration": {"runs": [%s]}}"""
                .formatted(first)), 400, "calibration.runs[0]");
        assertProblem(post("/api/v1/plans", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 256},
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}, "calibration": {"runs": [%s]}}"""
                .formatted(first.replace("\"data\": 8", "\"data\": 3").replace("}}", "}, \"measuredStepSeconds\": 2}")
                        .replace("}, \"measuredStepSeconds\": 2}", "}, \"measuredStepSeconds\": 2}"))), 422,
                "calibration.runs[0].cluster.gpuCount");
    }

    @Test
    void checksShouldFailWhenTheOffloadedStatesOutgrowTheNodesHostMemory() {
        // Llama-2-7B, ZeRO-2 with the optimizer on the CPU over one node of 8 H100s: the node's host holds 12Φ of
        // fp32 master weights and Adam moments + 4Φ of fp32 gradients = 16 × 6,738,415,616 = 107,814,649,856 B
        String plan = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 64},
                 "training": {"zeroStage": 2, "offload": {"optimizer": "CPU"}}, "parallelism": {"data": 8},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}, "requirements": {"maxHostBytesPerNode": %d}}""";
        MvcTestResult roomy = post("/api/v1/checks", plan.formatted(107_814_649_856L));
        assertThat(roomy).hasStatusOk();
        assertThat(roomy).bodyJson().extractingPath("$.pass").isEqualTo(true);
        assertThat((long) number(roomy, "$.estimate.offload.hostBytesPerNode")).isEqualTo(107_814_649_856L);
        assertThat((long) number(roomy, "$.estimate.offload.gpusPerNode")).isEqualTo(8);
        MvcTestResult tight = post("/api/v1/checks", plan.formatted(100_000_000_000L));
        assertThat(tight).bodyJson().extractingPath("$.pass").isEqualTo(false);
        assertThat(tight).bodyJson().extractingPath("$.violations[0].requirement").isEqualTo("maxHostBytesPerNode");
        assertThat(number(tight, "$.violations[0].actual")).isEqualTo(107_814_649_856.0);
        // without offload there is nothing off the GPU: no offload block, and the host limit holds trivially
        String withoutOffload = plan.formatted(1L).replace(", \"offload\": {\"optimizer\": \"CPU\"}", "");
        MvcTestResult none = post("/api/v1/checks", withoutOffload);
        assertThat(none).bodyJson().extractingPath("$.pass").isEqualTo(true);
        assertThat(none).bodyJson().doesNotHavePath("$.estimate.offload");
        assertProblem(post("/api/v1/checks", plan.formatted(0L)), 400, "requirements.maxHostBytesPerNode");
    }

    @Test
    void badPlansShouldBe4xxNamingTheField() {
        assertProblem(post("/api/v1/plans", "{\"model\": {\"preset\": \"gpt2\"}, \"batch\": {\"sequenceLength\": 1024}, "
                + "\"cluster\": {\"gpu\": \"h100-sxm-80gb\", \"gpuCount\": 8}}"), 400, "batch.globalBatchSize");
        assertProblem(post("/api/v1/plans", LLAMA_7B_ON_8_H100.replace("\"limit\": 5", "\"limit\": 0")), 400, "limit");
        assertProblem(post("/api/v1/plans", LLAMA_7B_ON_8_H100.replace("\"limit\": 5",
                "\"activations\": {\"sequenceParallel\": true}")), 400, "activations");
        assertProblem(post("/api/v1/plans", LLAMA_7B_ON_8_H100.replace("\"limit\": 5",
                "\"constraints\": {\"maxVirtualPipeline\": 0}")), 400, "constraints.maxVirtualPipeline");
        assertProblem(post("/api/v1/checks", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "parallelism": {"data": 4}, "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}}"""), 422,
                "cluster.gpuCount");
        assertProblem(post("/api/v1/checks", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "parallelism": {"data": 8}, "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8},
                 "requirements": {"maxTrainingDays": 3}}"""), 422, "requirements.tokens");
    }

    @Test
    void checkOnAClusterWithoutParallelismShouldUseEveryGpuForData() {
        String plan = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "training": {"zeroStage": 1}%s, "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}}""";
        MvcTestResult filled = post("/api/v1/checks", plan.formatted(""));
        assertThat(filled).hasStatusOk();
        assertThat(filled).bodyJson().extractingPath("$.estimate.parallelism.data").isEqualTo(8);
        // the same plan as "parallelism": {"data": 8} (checkShouldPassOrFailWith200AndNameTheViolation)
        assertThat(filled).bodyJson().extractingPath("$.estimate.perGpuBytes").isEqualTo(63_129_744_077L);
        assertThat(filled).bodyJson().extractingPath("$.assumptions[0]").asString()
                .startsWith("parallelism.data not given: 8, which fills the cluster");
        MvcTestResult counted = post("/api/v1/checks", plan.formatted(", \"parallelism\": {\"data\": 8}")
                .replace(", \"gpuCount\": 8", ""));
        assertThat(counted).bodyJson().extractingPath("$.estimate.perGpuBytes").isEqualTo(63_129_744_077L);
        assertThat(counted).bodyJson().extractingPath("$.assumptions[0]").asString()
                .isEqualTo("cluster.gpuCount not given: the layout's data × tensor × pipeline × context = 8 GPUs.");
    }
}
