package dev.llmcalc.core.model.hf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.llmcalc.core.unit.InvalidInputException;

/**
 * A config.json whose count would leave parameters out or guess them (an unknown {@code model_type}, experts of an
 * unknown family): 422 naming every such key, unless the client accepts an approximate count. {@link #field()} is
 * the first key.
 */
public class UnmodelledConfigException extends InvalidInputException {

    static final String ADVICE = "the count would not be exact; send approximate=true to accept it with warnings";

    private final Map<String, String> problems;

    public UnmodelledConfigException(Map<String, String> problems) {
        super(problems.keySet().iterator().next(), problems.values().iterator().next() + " (" + ADVICE
                + (problems.size() > 1 ? "; also not modelled: "
                        + String.join(", ", problems.keySet().stream().skip(1).toList()) : "") + ")");
        this.problems = Collections.unmodifiableMap(new LinkedHashMap<>(problems));
    }

    /** Every key that is not modelled (with its path) → why, in the order they were found. */
    public Map<String, String> problems() {
        return this.problems;
    }

    @Override
    public UnmodelledConfigException under(String prefix) {
        Map<String, String> prefixed = new LinkedHashMap<>();
        this.problems.forEach((key, reason) -> prefixed.put(prefix + key, reason));
        return new UnmodelledConfigException(prefixed);
    }
}
