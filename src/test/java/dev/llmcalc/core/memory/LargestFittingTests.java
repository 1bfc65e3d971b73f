package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongUnaryOperator;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.Seeds;

/** The inverse search behind maxMicroBatchSize and maxSequenceLength, against a plain binary search. */
class LargestFittingTests {

    private static final long LIMIT = 1L << 31;

    /** The reference: the largest n in [1, 2^31] with total(n) ≤ memory by bisection (0 if none). */
    private static long bisection(LongUnaryOperator total, long memory) {
        if (total.applyAsLong(1) > memory) {
            return 0;
        }
        long good = 1;
        long bad = LIMIT + 1;
        while (bad - good > 1) {
            long middle = good + (bad - good) / 2;
            if (total.applyAsLong(middle) <= memory) {
                good = middle;
            }
            else {
                bad = middle;
            }
        }
        return good;
    }

    /** A non-decreasing total: base + ceil(linear·n / d) + quadratic·n², with steps, saturating at Long.MAX_VALUE. */
    private static LongUnaryOperator random(SplittableRandom random) {
        long base = random.nextLong(0, 1L << 40);
        long linear = random.nextInt(4) == 0 ? 0 : random.nextLong(1, 1L << 32);
        long divisor = random.nextLong(1, 64);
        long quadratic = random.nextInt(3) == 0 ? random.nextLong(1, 1L << 16) : 0;
        long step = random.nextInt(4) == 0 ? random.nextLong(2, 1000) : 1;
        return (n) -> {
            try {
                long m = (n / step) * step;
                long value = Math.addExact(base, -Math.floorDiv(-Math.multiplyExact(linear, m), divisor));
                return Math.addExact(value, Math.multiplyExact(quadratic, Math.multiplyExact(m, m)));
            }
            catch (ArithmeticException ex) {
                return Long.MAX_VALUE;
            }
        };
    }

    @Test
    void shouldAgreeWithBisectionOnEveryNonDecreasingTotal() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases() * 4; i++) {
            LongUnaryOperator total = random(random);
            long memory = random.nextInt(10) == 0 ? Long.MAX_VALUE : random.nextLong(0, 1L << 62);
            assertThat(TrainingMemoryCalculator.largestFitting(total, memory)).as("seed %d case %d", Seeds.seed(), i)
                    .isEqualTo(bisection(total, memory));
        }
    }

    @Test
    void linearAndQuadraticTotalsShouldNeedAHandfulOfEvaluations() {
        AtomicInteger calls = new AtomicInteger();
        // like a micro-batch: 40 GB of states + 1.3 GB per sample; the boundary is 29
        long linear = TrainingMemoryCalculator.largestFitting((b) -> {
            calls.incrementAndGet();
            return 40_000_000_000L + 1_300_000_000L * b;
        }, 80_000_000_000L);
        assertThat(linear).isEqualTo(30);
        assertThat(calls.get()).isLessThanOrEqualTo(5);
        calls.set(0);
        // like an EAGER sequence: linear + quadratic terms
        LongUnaryOperator sequence = (s) -> s > 10_000_000 ? Long.MAX_VALUE
                : 40_000_000_000L + 5_000_000L * s + 4_000L * s * s;
        long quadratic = TrainingMemoryCalculator.largestFitting((s) -> {
            calls.incrementAndGet();
            return sequence.applyAsLong(s);
        }, 80_000_000_000L);
        assertThat(quadratic).isEqualTo(bisection(sequence, 80_000_000_000L)).isEqualTo(2_598L);
        assertThat(calls.get()).isLessThanOrEqualTo(16);
        assertThat(TrainingMemoryCalculator.largestFitting((n) -> 5, 10)).isEqualTo(LIMIT);
        assertThat(TrainingMemoryCalculator.largestFitting((n) -> 11, 10)).isZero();
    }
}
