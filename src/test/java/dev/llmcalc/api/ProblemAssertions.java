package dev.llmcalc.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.jayway.jsonpath.JsonPath;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Checks shared by the controller tests: every failure is problem+json naming the field. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    /** The number at {@code path} of the body as a double (JSON numbers may be read as Integer, Long or Double). */
    public static double number(MvcTestResult result, String path) {
        String body = new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
        return JsonPath.<Number>read(body, path).doubleValue();
    }

    /** The response is {@code status} problem+json with a detail and, when given, {@code errors[field]}. */
    public static void assertProblem(MvcTestResult result, int status, String field) {
        assertThat(result).hasStatus(status);
        assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().isNotBlank();
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status);
        assertThat(result.getResponse().getContentAsByteArray()).asString()
                .doesNotContain("Exception").doesNotContain("at dev.llmcalc").doesNotContain("tools.jackson");
        if (field != null) {
            assertThat(result).bodyJson().extractingPath("$.errors['" + field + "']").asString().isNotBlank();
        }
    }
}
