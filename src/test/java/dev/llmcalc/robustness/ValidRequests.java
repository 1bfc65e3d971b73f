package dev.llmcalc.robustness;

import java.util.List;

/** Valid bodies for every POST endpoint: the seeds the fuzzer mutates and the concurrency test replays. */
final class ValidRequests {

    record Request(String path, String body) {
    }

    private ValidRequests() {
    }

    static final List<Request> ALL = List.of(
            new Request("/api/v1/alignment", """
                    {"algorithm": "PPO", "model": {"preset": "llama-2-7b"}, "training": {"zeroStage": 3},
                     "parallelism": {"data": 8}, "gpu": "h100-sxm-80gb",
                     "rollout": {"prompts": 64, "promptLength": 512, "responseLength": 1024}}"""),
            new Request("/api/v1/alignment", """
                    {"algorithm": "DPO", "model": {"preset": "mixtral-8x7b"}, "training": {"method": "LORA",
                     "lora": {"rank": 8, "targetModules": ["q", "v"]}}, "parallelism": {"data": 2, "expert": 2}}"""),
            new Request("/api/v1/parameters", """
                    {"model": {"preset": "llama-2-7b"}}"""),
            new Request("/api/v1/parameters", """
                    {"model": {"architecture": {"vocabSize": 32000, "hiddenSize": 4096, "numLayers": 32,
                     "numAttentionHeads": 32, "numKeyValueHeads": 8, "intermediateSize": 14336,
                     "moe": {"numExperts": 8, "numExpertsPerToken": 2, "expertIntermediateSize": 14336,
                             "numSharedExperts": 1, "sharedExpertIntermediateSize": 2048, "denseLayers": 1}}}}"""),
            new Request("/api/v1/parameters", """
                    {"model": {"architecture": {"vocabSize": 129280, "hiddenSize": 7168, "numLayers": 4,
                     "numAttentionHeads": 128, "intermediateSize": 18432, "tiedEmbeddings": false,
                     "mla": {"qLoraRank": 1536, "kvLoraRank": 512, "qkNopeHeadDim": 128, "qkRopeHeadDim": 64,
                             "vHeadDim": 128}}}}"""),
            new Request("/api/v1/memory/model-states", """
                    {"parameters": 7500000000, "training": {"precision": "MIXED_FP16", "optimizer": "ADAM",
                     "zeroStage": 2}, "parallelism": {"data": 64}}"""),
            new Request("/api/v1/memory/model-states", """
                    {"model": {"preset": "mixtral-8x7b"}, "training": {"zeroStage": 1},
                     "parallelism": {"data": 8, "tensor": 2, "pipeline": 2, "expert": 4}}"""),
            new Request("/api/v1/parameters", """
                    {"model": {"preset": "mixtral-8x7b"}, "training": {"method": "LORA",
                     "lora": {"rank": 16, "alpha": 32, "targetModules": ["q", "k", "v", "o", "gate", "up", "down"]}}}"""),
            new Request("/api/v1/memory/model-states", """
                    {"model": {"preset": "llama-2-7b"}, "training": {"method": "LORA", "zeroStage": 2,
                     "lora": {"rank": 8, "alpha": 16, "targetModules": ["q", "v", "lm_head"]}},
                     "parallelism": {"data": 4}}"""),
            new Request("/api/v1/memory/model-states", """
                    {"model": {"preset": "llama-3-8b"}, "training": {"method": "QLORA",
                     "lora": {"rank": 64, "targetModules": ["q", "k", "v", "o", "gate", "up", "down"],
                              "quantization": {"format": "NF4", "blockSize": 64, "doubleQuantization": true}}}}"""),
            new Request("/api/v1/memory/training", """
                    {"model": {"preset": "llama-3-8b"}, "batch": {"microBatchSize": 1, "sequenceLength": 2048},
                     "activations": {"recomputation": "FULL"}, "cluster": {"gpu": "rtx-4090-24gb", "gpuCount": 1},
                     "training": {"method": "QLORA", "lora": {"rank": 16, "targetModules": ["q", "k", "v", "o", "up"]}}}"""),
            new Request("/api/v1/memory/activations", """
                    {"model": {"preset": "mixtral-8x7b"}, "batch": {"sequenceLength": 4096},
                     "training": {"method": "LORA", "lora": {"rank": 8, "targetModules": ["gate", "up", "lm_head"]}},
                     "parallelism": {"tensor": 2, "pipeline": 2, "expert": 2, "data": 2}}"""),
            new Request("/api/v1/compute", """
                    {"model": {"preset": "llama-2-7b"}, "tokens": 1000000000, "batch": {"sequenceLength": 4096},
                     "recomputation": "FULL", "training": {"method": "LORA", "lora": {"rank": 64}}}"""),
            new Request("/api/v1/checks", """
                    {"model": {"preset": "llama-3-8b"}, "batch": {"sequenceLength": 2048, "globalBatchSize": 16},
                     "activations": {"recomputation": "FULL"}, "cluster": {"gpu": "rtx-4090-24gb", "gpuCount": 1},
                     "training": {"method": "QLORA", "lora": {"rank": 16}}, "requirements": {"maxMemoryFraction": 0.9}}"""),
            new Request("/api/v1/communication", """
                    {"model": {"preset": "mixtral-8x7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 64},
                     "training": {"method": "QLORA", "zeroStage": 3, "lora": {"targetModules": ["q", "up"]}},
                     "parallelism": {"data": 8, "tensor": 2, "expert": 4},
                     "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 16}}"""),
            new Request("/api/v1/memory/activations", """
                    {"model": {"preset": "gpt2"}, "batch": {"microBatchSize": 2, "sequenceLength": 1024},
                     "activations": {"attention": "EAGER", "dropout": true, "recomputation": "SELECTIVE"},
                     "parallelism": {"tensor": 4, "pipeline": 2}}"""),
            new Request("/api/v1/memory/activations", """
                    {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 64},
                     "activations": {"sequenceParallel": true, "recomputation": "FULL"},
                     "parallelism": {"data": 4, "tensor": 2, "pipeline": 4, "virtualPipeline": 2, "context": 2}}"""),
            new Request("/api/v1/memory/training", """
                    {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                     "training": {"zeroStage": 1}, "parallelism": {"data": 8},
                     "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}}"""),
            new Request("/api/v1/memory/training", """
                    {"model": {"preset": "qwen2.5-0.5b"}, "batch": {"microBatchSize": 4, "sequenceLength": 2048},
                     "training": {"precision": "FP32", "optimizer": "SGD_MOMENTUM", "zeroStage": 3},
                     "parallelism": {"data": 2},
                     "cluster": {"gpu": {"memoryBytes": 25769803776, "peakFlops": 1.65e14,
                                 "intraNodeBandwidth": 3.2e10, "interNodeBandwidth": 1.25e10}},
                     "allowance": {"cudaContextBytes": 0, "fragmentationFraction": 0.1}}"""),
            new Request("/api/v1/memory/inference", """
                    {"model": {"preset": "llama-2-7b"}, "weightPrecision": "INT4",
                     "kvCache": {"batchSize": 8, "sequenceLength": 4096, "precision": "FP8"}}"""),
            new Request("/api/v1/compute", """
                    {"model": {"preset": "mixtral-8x7b"}, "tokens": 1000000000000, "batch": {"sequenceLength": 4096},
                     "causal": true, "recomputation": "FULL", "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 256},
                     "mfu": 0.35, "pricePerGpuHour": 2.5}"""),
            new Request("/api/v1/compute", """
                    {"parameters": 174600000000, "tokens": 300000000000}"""),
            new Request("/api/v1/scaling-law", """
                    {"parameters": 70000000000, "tokens": 1400000000000}"""),
            new Request("/api/v1/scaling-law", """
                    {"computeBudgetFlops": 5.76e23}"""),
            new Request("/api/v1/plans", """
                    {"model": {"preset": "qwen2.5-0.5b"}, "batch": {"sequenceLength": 2048, "globalBatchSize": 64},
                     "cluster": {"gpu": "a100-sxm-40gb", "gpuCount": 4}, "limit": 3,
                     "constraints": {"maxMicroBatchSize": 8, "maxMemoryFraction": 0.9}}"""),
            new Request("/api/v1/plans", """
                    {"model": {"preset": "qwen1.5-moe-a2.7b"}, "batch": {"sequenceLength": 2048, "globalBatchSize": 64},
                     "training": {"zeroStage": 1}, "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}, "limit": 2,
                     "activations": {"dropout": true, "sequenceParallel": false},
                     "constraints": {"maxMicroBatchSize": 4, "maxVirtualPipeline": 2, "allowOffload": true,
                       "recomputeModules": [["core_attn", "moe_act"], ["shared_experts"]]},
                     "calibration": {"runs": [{"batch": {"microBatchSize": 1, "sequenceLength": 2048,
                       "globalBatchSize": 64}, "training": {"zeroStage": 1}, "parallelism": {"data": 8},
                       "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}, "measuredTflopsPerGpu": 120}]}}"""),
            new Request("/api/v1/checks", """
                    {"model": {"preset": "llama-2-7b"}, "batch": {"microBatchSize": 1, "sequenceLength": 4096,
                     "globalBatchSize": 64}, "training": {"zeroStage": 3, "shardGroupSize": 8,
                     "offload": {"optimizer": "CPU", "activations": "CPU"}},
                     "activations": {"recomputation": "FULL"}, "parallelism": {"data": 16},
                     "cluster": {"gpu": {"base": "h100-sxm-80gb", "multiprocessors": 132, "gpusPerNode": 4},
                       "gpuCount": 16, "hostMemoryBytesPerNode": 1099511627776},
                     "kernelEfficiency": {"zero3Bandwidth": 0.5, "overlap": 0.6},
                     "calibration": {"measuredStepSeconds": 5}}"""),
            new Request("/api/v1/checks", """
                    {"model": {"preset": "qwen3-30b-a3b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 64},
                     "training": {"zeroStage": 1}, "activations": {"sequenceParallel": true},
                     "parallelism": {"data": 8, "tensor": 2, "expert": 8}, "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 16},
                     "kernelEfficiency": {"tensorOverlap": "FULL", "parameterGatherOverlap": true,
                       "gradientReductionOverlap": false, "expertOverlap": true}}"""),
            new Request("/api/v1/plans", """
                    {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 64},
                     "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 16},
                     "kernelEfficiency": {"tensorOverlap": "NONE", "expertOverlap": false}}"""),
            new Request("/api/v1/checks", """
                    {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                     "training": {"zeroStage": 1}, "parallelism": {"data": 8},
                     "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8},
                     "requirements": {"maxMemoryFraction": 0.9, "maxTrainingDays": 30, "tokens": 2000000000000}}"""),
            new Request("/api/v1/communication", """
                    {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 256},
                     "training": {"zeroStage": 1}, "activations": {"sequenceParallel": true},
                     "parallelism": {"data": 8, "tensor": 4, "pipeline": 2},
                     "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 64}}"""),
            new Request("/api/v1/collectives", """
                    {"collective": "ALL_REDUCE", "ranks": 8, "messageBytes": 1073741824}"""),
            new Request("/api/v1/models/import", """
                    {"model_type": "mixtral", "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 14336,
                     "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
                     "num_local_experts": 8, "num_experts_per_tok": 2, "tie_word_embeddings": false}"""),
            new Request("/api/v1/memory/training", """
                    {"model": {"huggingFaceConfig": {"model_type": "qwen3", "vocab_size": 151936, "hidden_size": 1024,
                      "intermediate_size": 3072, "num_hidden_layers": 28, "num_attention_heads": 16,
                      "num_key_value_heads": 8, "head_dim": 128, "tie_word_embeddings": true}},
                     "batch": {"sequenceLength": 2048}, "parallelism": {"tensor": 2},
                     "activations": {"attention": "EAGER", "sequenceParallel": true}}"""),
            new Request("/api/v1/plans", """
                    {"model": {"preset": "qwen2.5-0.5b"}, "batch": {"sequenceLength": 2048, "globalBatchSize": 64},
                     "cluster": {"gpu": ["a100-sxm-40gb", {"preset": "l4-24gb", "pricePerGpuHour": 0.8, "gpuCount": 2}],
                                 "gpuCounts": [2, 4]},
                     "tokens": 10000000000, "maxTrainingDays": 30, "energy": {"pue": 1.2, "gridKgCo2PerKwh": 0.3},
                     "constraints": {"maxMicroBatchSize": 8}}"""),
            new Request("/api/v1/compute", """
                    {"model": {"preset": "llama-2-7b"}, "tokens": 2000000000000, "batch": {"sequenceLength": 4096},
                     "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 1024}, "mfu": 0.5,
                     "energy": {"utilization": 0.9, "pue": 1.1, "gridKgCo2PerKwh": 0.414}}"""),
            new Request("/api/v1/checkpoints", """
                    {"parameters": 176247271424, "training": {"precision": "MIXED_BF16", "optimizer": "ADAM",
                     "zeroStage": 1}, "parallelism": {"data": 8, "tensor": 4, "pipeline": 12},
                     "exportPrecision": "INT4", "storage": {"writeBandwidthPerNode": 5e9, "aggregateWriteBandwidth": 1e11},
                     "checkpointEveryMinutes": 180}"""),
            new Request("/api/v1/checkpoints", """
                    {"model": {"preset": "llama-3-8b"}, "training": {"method": "QLORA", "zeroStage": 2,
                     "lora": {"rank": 16}}, "parallelism": {"data": 4}, "gpusPerNode": 4,
                     "storage": {"aggregateWriteBandwidth": 2e9}, "checkpointEveryMinutes": 30}"""));
}
