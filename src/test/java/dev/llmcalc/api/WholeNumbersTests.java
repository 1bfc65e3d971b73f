package dev.llmcalc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

class WholeNumbersTests {

    /** The application's strict settings (application.properties) plus the module. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new WholeNumbers())
            .build();

    record Sample(int count, Integer boxedCount, long total, Long boxedTotal) {
    }

    private static Sample read(String fields) {
        return JSON.readValue("{\"count\": 1, \"boxedCount\": 1, \"total\": 1, \"boxedTotal\": 1, " + fields + "}",
                Sample.class);
    }

    @Test
    void exponentsAndZeroFractionsShouldBeReadAsTheIntegerTheyWrite() {
        assertThat(read("\"boxedTotal\": 1e12").boxedTotal()).isEqualTo(1_000_000_000_000L);
        assertThat(read("\"total\": 7.5e9").total()).isEqualTo(7_500_000_000L);
        assertThat(read("\"count\": 2.0").count()).isEqualTo(2);
        assertThat(read("\"boxedCount\": 4.096E3").boxedCount()).isEqualTo(4096);
        assertThat(read("\"boxedCount\": 2147483647.000").boxedCount()).isEqualTo(Integer.MAX_VALUE);
        assertThat(read("\"total\": 9.223372036854775807e18").total()).isEqualTo(Long.MAX_VALUE);
        assertThat(read("\"count\": 12000e-3").count()).isEqualTo(12);
        // plain integers go through Jackson's own deserializer, as before
        assertThat(read("\"total\": 9223372036854775807").total()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aFractionShouldStayAnErrorNamingTheField() {
        assertThatExceptionOfType(MismatchedInputException.class).isThrownBy(() -> read("\"boxedTotal\": 1.5"))
                .satisfies((ex) -> assertThat(path(ex)).isEqualTo("boxedTotal"))
                .satisfies((ex) -> assertThat(ex.getTargetType()).isEqualTo(Long.class));
        assertThatExceptionOfType(MismatchedInputException.class).isThrownBy(() -> read("\"count\": 1e-3"))
                .satisfies((ex) -> assertThat(path(ex)).isEqualTo("count"));
        assertThatExceptionOfType(MismatchedInputException.class)
                .isThrownBy(() -> read("\"total\": 9223372036854775806.5"))
                .satisfies((ex) -> assertThat(path(ex)).isEqualTo("total"));
    }

    @Test
    void aValueOutOfRangeShouldStayAnErrorNamingTheField() {
        assertThatExceptionOfType(InputCoercionException.class).isThrownBy(() -> read("\"boxedTotal\": 1e400"))
                .satisfies((ex) -> assertThat(path(ex)).isEqualTo("boxedTotal"))
                .satisfies((ex) -> assertThat(ex.getTargetType()).isEqualTo(Long.class));
        // 2^63 = 9223372036854775808, one past Long.MAX_VALUE
        assertThatExceptionOfType(InputCoercionException.class).isThrownBy(() -> read("\"total\": 9.223372036854775808e18"))
                .satisfies((ex) -> assertThat(path(ex)).isEqualTo("total"));
        assertThatExceptionOfType(InputCoercionException.class).isThrownBy(() -> read("\"boxedCount\": 3e9"))
                .satisfies((ex) -> assertThat(ex.getTargetType()).isEqualTo(Integer.class));
        assertThatExceptionOfType(InputCoercionException.class).isThrownBy(() -> read("\"count\": -2.2e9"));
    }

    @Test
    void whatWasRefusedBeforeShouldStillBeRefused() {
        assertThatExceptionOfType(MismatchedInputException.class).isThrownBy(() -> read("\"count\": \"2\""))
                .satisfies((ex) -> assertThat(path(ex)).isEqualTo("count"));
        assertThatExceptionOfType(MismatchedInputException.class).isThrownBy(() -> read("\"count\": null"))
                .satisfies((ex) -> assertThat(path(ex)).isEqualTo("count"));
        assertThatExceptionOfType(MismatchedInputException.class).isThrownBy(() -> read("\"boxedCount\": true"));
        assertThat(read("\"boxedCount\": null").boxedCount()).isNull();
    }

    @Test
    void integralValueShouldKeepOnlyNumbersWithoutAFraction() {
        assertThat(WholeNumbers.integralValue(new BigDecimal("1e12"))).isEqualByComparingTo("1000000000000");
        assertThat(WholeNumbers.integralValue(new BigDecimal("2.000"))).isEqualByComparingTo("2");
        assertThat(WholeNumbers.integralValue(new BigDecimal("0e-7"))).isEqualByComparingTo("0");
        assertThat(WholeNumbers.integralValue(new BigDecimal("1.5"))).isNull();
        assertThat(WholeNumbers.integralValue(new BigDecimal("1e-999999999"))).isNull();
        assertThat(WholeNumbers.integralValue(new BigDecimal("1e999999999")).scale()).isEqualTo(-999_999_999);
    }

    private static String path(JacksonException ex) {
        return ex.getPath().get(ex.getPath().size() - 1).getPropertyName();
    }
}
