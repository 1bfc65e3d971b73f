package dev.llmcalc.api;

import java.math.BigDecimal;

import org.springframework.stereotype.Component;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Integer fields ({@code int}, {@code Integer}, {@code long}, {@code Long}) accept any JSON number whose value is an
 * exact integer in the field's range, as people write them: {@code "tokens": 1e12}, {@code "parameters": 7.5e9},
 * {@code 2.0}. A fraction ({@code 1.5}) stays a "must be an integer" error and a value out of range ({@code 1e400},
 * {@code 1e19} for a long) an "out of range" error, both naming the field (see {@link ApiProblems}). Every other input
 * (integers, strings, null, a missing field) is read by Jackson's own deserializer, with the mapper's strict settings.
 * Registered with the application's mapper (Boot adds every Jackson module bean; {@code @WebMvcTest} slices too) and
 * with the command line's.
 */
@Component
public final class WholeNumbers extends SimpleModule {

    private static final long serialVersionUID = 1L;

    public WholeNumbers() {
        super("llmcalc-whole-numbers");
        setDeserializerModifier(new ValueDeserializerModifier() {

            private static final long serialVersionUID = 1L;

            @Override
            public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                    BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                Class<?> type = description.getBeanClass();
                return isInteger(type) ? new WholeNumberDeserializer(deserializer, type) : deserializer;
            }
        });
    }

    static boolean isInteger(Class<?> type) {
        return type == Integer.class || type == int.class || type == Long.class || type == long.class;
    }

    /**
     * The exact integer a decimal number stands for, or {@code null} when it has a fraction. {@code 1e12} and
     * {@code 7.50e9} are integers; {@code 1.5} and {@code 1e-3} are not. The magnitude is not checked here.
     */
    static BigDecimal integralValue(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped : null;
    }

    /** Jackson's deserializer for an integer type, taking over only a JSON number written with a fraction or exponent. */
    private static final class WholeNumberDeserializer extends DelegatingDeserializer {

        private static final long serialVersionUID = 1L;

        private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);

        private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

        private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

        private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

        private final Class<?> type;

        WholeNumberDeserializer(ValueDeserializer<?> delegate, Class<?> type) {
            super(delegate);
            this.type = type;
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new WholeNumberDeserializer(delegate, this.type);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
                return super.deserialize(parser, context);
            }
            BigDecimal value = integralValue(parser.getDecimalValue());
            if (value == null) {
                return context.handleWeirdNumberValue(this.type, parser.getDecimalValue(),
                        "not an integer (it has a fraction)");
            }
            boolean isLong = this.type == Long.class || this.type == long.class;
            if (value.compareTo(isLong ? LONG_MIN : INT_MIN) < 0 || value.compareTo(isLong ? LONG_MAX : INT_MAX) > 0) {
                throw new InputCoercionException(parser, "Numeric value (" + parser.getText() + ") out of range of "
                        + this.type.getSimpleName(), JsonToken.VALUE_NUMBER_FLOAT, this.type);
            }
            return isLong ? (Object) value.longValueExact() : (Object) value.intValueExact();
        }
    }
}
