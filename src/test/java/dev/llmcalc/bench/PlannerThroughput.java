package dev.llmcalc.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.llmcalc.core.plan.PlanResult;
import dev.llmcalc.core.plan.PlanSearch;
import dev.llmcalc.core.plan.Planner;

/**
 * Candidate layouts the planner evaluates per second on one core (the "layouts" row of the output, ops/s),
 * for the 4,096-GPU Llama-3.1-70B search. Run with {@code bench/jmh.sh PlannerThroughput}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlannerThroughput {

    private final PlanSearch search = PlanSearches.of("llama-3.1-70b", 4096, 8192, 2048);

    /** Counts what each search evaluated; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {

        public long layouts;

        public long ledgers;

        @Setup(Level.Iteration)
        public void reset() {
            this.layouts = 0;
            this.ledgers = 0;
        }
    }

    @Benchmark
    public PlanResult search4096Gpus(Counters counters) {
        PlanResult result = Planner.search(this.search);
        counters.layouts += result.evaluated();
        counters.ledgers += result.communicationEvaluated();
        return result;
    }
}
