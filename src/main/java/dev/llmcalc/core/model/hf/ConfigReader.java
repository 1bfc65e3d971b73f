package dev.llmcalc.core.model.hf;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;


/**
 * Typed, recorded access to one level of a parsed config.json (nested maps, lists, Number, String, Boolean,
 * null). Every key it is asked about counts as used; the rest are reported as ignored. Values that are absent
 * and take the config class's default are collected so the mapper can say which defaults it applied.
 *
 * <p>Wrong JSON types and out-of-range numbers throw {@link MalformedConfigException} (400); a missing
 * required field is collected and reported by {@link #requireAll()} as a {@link MissingConfigFieldsException} (422).
 */
final class ConfigReader {

    private final Map<String, ?> values;

    private final String path;

    private final Set<String> used = new LinkedHashSet<>();

    private final Set<String> missing = new LinkedHashSet<>();

    private final List<String> defaults = new ArrayList<>();

    ConfigReader(Map<String, ?> values, String path) {
        this.values = values;
        this.path = path;
    }

    /** The key as the client wrote it, with the path of the object that holds it. */
    String field(String key) {
        return this.path + key;
    }

    /** Whether the key is present at all (an explicit null counts as present). */
    boolean has(String key) {
        this.used.add(key);
        return this.values.containsKey(key);
    }

    /** Whether the key is present with a non-null value. */
    boolean present(String key) {
        return has(key) && this.values.get(key) != null;
    }

    /** Marks keys as read although nothing in the count depends on their value (e.g. model_type). */
    void consult(String... keys) {
        for (String key : keys) {
            this.used.add(key);
        }
    }

    /** The first of {@code keys} that is present and non-null, or the first key when none is. */
    String firstPresent(String... keys) {
        for (String key : keys) {
            if (present(key)) {
                return key;
            }
        }
        return keys[0];
    }

    /** A positive int that must be present; {@code null} (and noted as missing) when it is not. */
    Integer requiredInt(String key) {
        if (!present(key)) {
            this.missing.add(field(key));
            return null;
        }
        return positive(key);
    }

    /** A positive int, or {@code null} when absent or null. */
    Integer optionalInt(String key) {
        return present(key) ? positive(key) : null;
    }

    /** A positive int, or {@code fallback} (recorded as an applied default) when absent or null. */
    int intOrDefault(String key, int fallback, String explanation) {
        if (present(key)) {
            return positive(key);
        }
        defaulted(key + " = " + fallback + (explanation.isEmpty() ? "" : " (" + explanation + ")"));
        return fallback;
    }

    /** A non-negative int, or {@code fallback} (recorded as an applied default) when absent or null. */
    int nonNegativeIntOrDefault(String key, int fallback) {
        if (present(key)) {
            return nonNegative(key);
        }
        defaulted(key + " = " + fallback);
        return fallback;
    }

    /** A boolean, or {@code fallback} (recorded as an applied default) when absent or null. */
    boolean boolOrDefault(String key, boolean fallback) {
        if (!present(key)) {
            defaulted(key + " = " + fallback);
            return fallback;
        }
        Object value = this.values.get(key);
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw new MalformedConfigException(field(key), "must be true or false, not " + describe(value));
    }

    /** A string, or {@code null} when absent or null. */
    String optionalString(String key) {
        if (!present(key)) {
            return null;
        }
        Object value = this.values.get(key);
        if (value instanceof String text) {
            return text;
        }
        throw new MalformedConfigException(field(key), "must be a string, not " + describe(value));
    }

    /** A list of non-negative ints (layer indices), empty when absent or null. */
    List<Integer> layerIndices(String key) {
        if (!present(key)) {
            return List.of();
        }
        Object value = this.values.get(key);
        if (!(value instanceof List<?> list)) {
            throw new MalformedConfigException(field(key), "must be an array of layer indices, not " + describe(value));
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            indices.add((int) integral(field(key) + "[" + i + "]", list.get(i), 0));
        }
        return indices;
    }

    /** The first string of a list of strings (e.g. {@code architectures}), or {@code null}. */
    String firstString(String key) {
        if (!present(key) || !(this.values.get(key) instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        return list.get(0) instanceof String text ? text : null;
    }

    /** The nested object under {@code key}, read with its own path; {@code null} when absent or null. */
    ConfigReader nested(String key) {
        if (!present(key)) {
            return null;
        }
        Object value = this.values.get(key);
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> object = (Map<String, ?>) map;
            return new ConfigReader(object, field(key) + ".");
        }
        throw new MalformedConfigException(field(key), "must be a JSON object, not " + describe(value));
    }

    /** Records a default that was applied for an absent field. */
    void defaulted(String description) {
        this.defaults.add(description);
    }

    /** Throws a 422 naming every required field that was missing. */
    void requireAll() {
        if (this.missing.isEmpty()) {
            return;
        }
        throw new MissingConfigFieldsException(List.copyOf(this.missing));
    }

    /** Defaults applied so far, e.g. "attention_bias = false". */
    List<String> appliedDefaults() {
        return List.copyOf(this.defaults);
    }

    /** Keys of this object that nothing read, sorted, with their path. */
    List<String> ignoredKeys() {
        Set<String> ignored = new TreeSet<>();
        for (String key : this.values.keySet()) {
            if (!this.used.contains(key)) {
                ignored.add(field(key));
            }
        }
        return List.copyOf(ignored);
    }

    private int positive(String key) {
        return (int) integral(field(key), this.values.get(key), 1);
    }

    private int nonNegative(String key) {
        return (int) integral(field(key), this.values.get(key), 0);
    }

    private static long integral(String field, Object value, int minimum) {
        if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger)) {
            throw new MalformedConfigException(field, "must be an integer, not " + describe(value));
        }
        BigInteger number = value instanceof BigInteger big ? big : BigInteger.valueOf(((Number) value).longValue());
        if (number.compareTo(BigInteger.valueOf(minimum)) < 0) {
            throw new MalformedConfigException(field, "must be at least " + minimum + " (got " + number + ")");
        }
        if (number.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new MalformedConfigException(field, "must be at most " + Integer.MAX_VALUE + " (got " + number + ")");
        }
        return number.longValue();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return "the string \"" + (text.length() <= 40 ? text : text.substring(0, 40) + "…") + "\"";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number number) {
            return "the number " + number;
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
