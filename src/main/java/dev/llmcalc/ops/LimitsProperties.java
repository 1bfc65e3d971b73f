package dev.llmcalc.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Input limits that keep one instance hard to knock over ({@code llmcalc.limits.*}).
 *
 * @param maxRequestBody largest request body accepted; larger ones get 413 (DataSize: "1MB" is 2^20 bytes)
 * @param json bounds on the JSON parser (Jackson stream read constraints); breaking one gives 400
 */
@ConfigurationProperties("llmcalc.limits")
public record LimitsProperties(@DefaultValue("1MB") DataSize maxRequestBody, @DefaultValue Json json) {

    public LimitsProperties {
        if (maxRequestBody.toBytes() <= 0 || maxRequestBody.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'llmcalc.limits.max-request-body' must be between 1 byte and 2 GiB");
        }
    }

    /**
     * @param maxNestingDepth deepest nesting of arrays and objects (requests here nest 4 levels)
     * @param maxStringLength longest string value, in characters
     * @param maxNumberLength longest number, in characters
     * @param maxNameLength longest field name, in characters
     * @param maxTokenCount most JSON tokens in one document (bounds array sizes)
     */
    public record Json(@DefaultValue("32") int maxNestingDepth, @DefaultValue("10000") int maxStringLength,
            @DefaultValue("100") int maxNumberLength, @DefaultValue("256") int maxNameLength,
            @DefaultValue("100000") long maxTokenCount) {

        public Json {
            positive("max-nesting-depth", maxNestingDepth);
            positive("max-string-length", maxStringLength);
            positive("max-number-length", maxNumberLength);
            positive("max-name-length", maxNameLength);
            positive("max-token-count", maxTokenCount);
        }

        private static void positive(String name, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException("'llmcalc.limits.json." + name + "' must be positive");
            }
        }
    }
}
