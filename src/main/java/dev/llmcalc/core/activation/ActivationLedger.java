package dev.llmcalc.core.activation;

import java.util.Arrays;
import java.util.List;

import dev.llmcalc.core.unit.Exact;

/**
 * Collects kept tensors, dividing each by its tensor-parallel split; same-named tensors add up. Kept in two
 * small arrays (a ledger has a couple of dozen entries at most): this runs millions of times in a layout search.
 */
final class ActivationLedger {

    static final String QUANTITY = "activationBytes";

    private static final int INITIAL_CAPACITY = 24;

    private String[] tensors = new String[INITIAL_CAPACITY];

    private long[] bytes = new long[INITIAL_CAPACITY];

    private int size;

    private final long tensorParallel;

    private final boolean sequenceParallel;

    ActivationLedger(long tensorParallel, boolean sequenceParallel) {
        this.tensorParallel = tensorParallel;
        this.sequenceParallel = sequenceParallel;
    }

    /** Adds {@code elements} × {@code bytesPerElement} bytes of one tensor kind, divided as {@code split} says. */
    ActivationLedger add(String tensor, Split split, long elements, long bytesPerElement) {
        long raw = Exact.multiply(QUANTITY, elements, bytesPerElement);
        if (raw == 0) {
            return this;
        }
        long divisor = switch (split) {
            case TENSOR -> this.tensorParallel;
            case SEQUENCE -> this.sequenceParallel ? this.tensorParallel : 1;
            case REPLICATED -> 1;
        };
        long value = Exact.ceilDiv(raw, divisor);
        for (int i = 0; i < this.size; i++) {
            if (this.tensors[i].equals(tensor)) {
                this.bytes[i] = Exact.add(QUANTITY, this.bytes[i], value);
                return this;
            }
        }
        if (this.size == this.tensors.length) {
            this.tensors = Arrays.copyOf(this.tensors, this.size * 2);
            this.bytes = Arrays.copyOf(this.bytes, this.size * 2);
        }
        this.tensors[this.size] = tensor;
        this.bytes[this.size] = value;
        this.size++;
        return this;
    }

    List<LedgerEntry> entries() {
        LedgerEntry[] list = new LedgerEntry[this.size];
        for (int i = 0; i < this.size; i++) {
            list[i] = new LedgerEntry(this.tensors[i], this.bytes[i]);
        }
        return List.of(list);
    }

    static long total(List<LedgerEntry> entries) {
        long total = 0;
        for (LedgerEntry entry : entries) {
            total = Exact.add(QUANTITY, total, entry.bytes());
        }
        return total;
    }
}
