package dev.llmcalc.api;

import java.util.List;

/** A preset id the catalog does not know: 404 with the closest known ids. */
public class UnknownPresetException extends RuntimeException {

    private final String field;

    private final List<String> closest;

    /** An unknown model (or other) preset: "unknown preset 'x'; closest known ids: ...". */
    public UnknownPresetException(String field, String id, List<String> closest) {
        this("preset", field, id, closest);
    }

    private UnknownPresetException(String kind, String field, String id, List<String> closest) {
        super("unknown " + kind + " '" + abbreviate(id) + "'; closest known ids: " + String.join(", ", closest));
        this.field = field;
        this.closest = closest;
    }

    /** An unknown GPU catalog id: "unknown GPU 'x'; closest known ids: ...". */
    public static UnknownPresetException gpu(String field, String id, List<String> closest) {
        return new UnknownPresetException("GPU", field, id, closest);
    }

    public String field() {
        return this.field;
    }

    public List<String> closest() {
        return this.closest;
    }

    private static String abbreviate(String id) {
        return id.length() <= 60 ? id : id.substring(0, 60) + "…";
    }
}
