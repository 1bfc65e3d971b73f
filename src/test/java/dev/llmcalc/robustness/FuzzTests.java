package dev.llmcalc.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.llmcalc.core.Seeds;
import dev.llmcalc.robustness.ValidRequests.Request;

/**
 * Seeded fuzzing of every POST endpoint: random mutations of valid bodies must never produce a 5xx,
 * every 4xx must be problem+json with a detail, and valid bodies must answer identically afterwards.
 * {@code -Dfuzz.requests=N} runs longer; {@code -Dproperty.seed=N} changes the seed.
 */
@SpringBootTest
@AutoConfigureMockMvc
class FuzzTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String RAW = "__raw_literal__";

    private static final List<String> RAW_LITERALS = List.of("NaN", "Infinity", "-Infinity", "1e999", "-0",
            "99999999999999999999999999", "0x10", "01", "1.0e-400", "tru", "nul");

    private static final List<JsonNode> ODD_VALUES = List.of(JsonNodeFactory.instance.nullNode(),
            JsonNodeFactory.instance.stringNode("not a number"), JsonNodeFactory.instance.stringNode(""),
            JsonNodeFactory.instance.booleanNode(true), JsonNodeFactory.instance.numberNode(-1),
            JsonNodeFactory.instance.numberNode(0), JsonNodeFactory.instance.numberNode(Long.MAX_VALUE),
            JsonNodeFactory.instance.numberNode(Long.MIN_VALUE), JsonNodeFactory.instance.numberNode(Integer.MAX_VALUE),
            JsonNodeFactory.instance.numberNode(1.5), JsonNodeFactory.instance.numberNode(1e308),
            JsonNodeFactory.instance.numberNode(-1e-308), JsonNodeFactory.instance.stringNode("UNKNOWN_ENUM"),
            JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.arrayNode(),
            JsonNodeFactory.instance.stringNode("x".repeat(10_000)));

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body, MediaType type) {
        return this.mvc.post().uri(path).contentType(type).content(body).exchange();
    }

    private static String body(MvcTestResult result) {
        return new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void mutatedBodiesShouldNeverBreakTheService() {
        List<String> before = new ArrayList<>();
        for (Request request : ValidRequests.ALL) {
            MvcTestResult result = post(request.path(), request.body(), MediaType.APPLICATION_JSON);
            assertThat(result.getResponse().getStatus()).as(request.path() + " " + request.body()).isEqualTo(200);
            before.add(body(result));
        }
        int requests = Integer.getInteger("fuzz.requests", 5_000);
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < requests; i++) {
            Request seed = ValidRequests.ALL.get(random.nextInt(ValidRequests.ALL.size()));
            Mutation mutation = mutate(seed, random);
            MvcTestResult result = post(seed.path(), mutation.body(), mutation.type());
            int status = result.getResponse().getStatus();
            String context = "seed " + Seeds.seed() + " request " + i + " " + seed.path() + " ("
                    + mutation.type() + "): " + abbreviate(mutation.body());
            assertThat(status).as(context).isLessThan(500);
            if (status >= 400) {
                assertThat(result.getResponse().getContentType()).as(context).startsWith("application/problem+json");
                assertThat(result).as(context).bodyJson().extractingPath("$.detail").asString().isNotBlank();
            }
        }
        for (int k = 0; k < ValidRequests.ALL.size(); k++) {
            Request request = ValidRequests.ALL.get(k);
            assertThat(body(post(request.path(), request.body(), MediaType.APPLICATION_JSON)))
                    .as("answer after fuzzing: " + request.path()).isEqualTo(before.get(k));
        }
    }

    record Mutation(String body, MediaType type) {
    }

    static Mutation mutate(Request seed, SplittableRandom random) {
        int kind = random.nextInt(12);
        MediaType json = MediaType.APPLICATION_JSON;
        switch (kind) {
            case 0:
                return new Mutation("", json);
            case 1:
                return new Mutation(seed.body(), random.nextBoolean() ? MediaType.TEXT_PLAIN : MediaType.APPLICATION_XML);
            case 2:
                return new Mutation(seed.body().substring(0, random.nextInt(seed.body().length())), json);
            case 3:
                return new Mutation("[".repeat(random.nextInt(1, 3000)) + "]".repeat(random.nextInt(0, 3)), json);
            default:
                break;
        }
        JsonNode tree = JSON.readTree(seed.body());
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(tree, objects);
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> fields = new ArrayList<>();
        target.propertyNames().forEach(fields::add);
        String field = fields.isEmpty() ? "x" : fields.get(random.nextInt(fields.size()));
        String raw = null;
        switch (kind) {
            case 4 -> target.set(field, ODD_VALUES.get(random.nextInt(ODD_VALUES.size())));
            case 5 -> target.remove(field);
            case 6 -> target.put("unexpected" + random.nextInt(100), random.nextInt());
            case 7 -> {
                raw = RAW_LITERALS.get(random.nextInt(RAW_LITERALS.size()));
                target.put(field, RAW);
            }
            case 8 -> {
                int depth = random.nextInt(10, 3000);
                raw = "[".repeat(depth) + "]".repeat(depth);
                target.put(field, RAW);
            }
            case 9 -> target.put(field, random.nextLong());
            case 10 -> target.put(field, random.nextInt(-5, 70_000));
            default -> {
                for (int n = random.nextInt(1, 4); n > 0; n--) {
                    ObjectNode other = objects.get(random.nextInt(objects.size()));
                    Iterator<String> names = other.propertyNames().iterator();
                    if (names.hasNext()) {
                        other.set(names.next(), ODD_VALUES.get(random.nextInt(ODD_VALUES.size())));
                    }
                }
            }
        }
        String text = JSON.writeValueAsString(tree);
        if (raw != null) {
            text = text.replace("\"" + RAW + "\"", raw);
        }
        return new Mutation(text, json);
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                collectObjects(entry.getValue(), into);
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
