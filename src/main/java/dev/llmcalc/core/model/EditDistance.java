package dev.llmcalc.core.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Levenshtein distance, for suggesting the closest preset ids. */
public final class EditDistance {

    private EditDistance() {
    }

    /** Up to {@code limit} of {@code known} closest to {@code id} (case-insensitive), nearest first, ties by name. */
    public static List<String> closest(String id, Collection<String> known, int limit) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return known.stream()
                .sorted(Comparator.comparingInt((String candidate) -> between(wanted, candidate))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(limit)
                .toList();
    }

    /** Levenshtein distance between {@code a} and {@code b} (as given; callers lower-case). */
    public static int between(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
