package dev.llmcalc.core.activation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.llmcalc.core.unit.Exact;

/** Collects kept tensors, dividing each by its tensor-parallel split; same-named tensors add up. */
final class Ledger {

    static final String QUANTITY = "activationBytes";

    private final Map<String, Long> bytes = new LinkedHashMap<>();

    private final long tensorParallel;

    private final boolean sequenceParallel;

    Ledger(long tensorParallel, boolean sequenceParallel) {
        this.tensorParallel = tensorParallel;
        this.sequenceParallel = sequenceParallel;
    }

    /** Adds {@code elements} × {@code bytesPerElement} bytes of one tensor kind, divided as {@code split} says. */
    Ledger add(String tensor, Split split, long elements, long bytesPerElement) {
        long raw = Exact.multiply(QUANTITY, elements, bytesPerElement);
        if (raw == 0) {
            return this;
        }
        long divisor = switch (split) {
            case TENSOR -> this.tensorParallel;
            case SEQUENCE -> this.sequenceParallel ? this.tensorParallel : 1;
            case REPLICATED -> 1;
        };
        this.bytes.merge(tensor, Exact.ceilDiv(raw, divisor), (a, b) -> Exact.add(QUANTITY, a, b));
        return this;
    }

    List<LedgerEntry> entries() {
        List<LedgerEntry> list = new ArrayList<>(this.bytes.size());
        this.bytes.forEach((tensor, value) -> list.add(new LedgerEntry(tensor, value)));
        return List.copyOf(list);
    }

    static long total(List<LedgerEntry> entries) {
        long total = 0;
        for (LedgerEntry entry : entries) {
            total = Exact.add(QUANTITY, total, entry.bytes());
        }
        return total;
    }
}
