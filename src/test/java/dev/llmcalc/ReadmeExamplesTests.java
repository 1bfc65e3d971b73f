package dev.llmcalc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The README's curl examples, run as written: every {@code curl} block is sent to the application and
 * every {@code "field": value} the text after it quotes must appear in the answer. The status must be 200 unless the
 * text starts "answers 404" or "answers `"status": 404`" (so an example that quietly answers an error fails).
 */
@SpringBootTest
@AutoConfigureMockMvc
class ReadmeExamplesTests {

    private static final Pattern BLOCK = Pattern.compile("```bash\\n(curl -s localhost:8080(\\S+).*?)```(.*?)(?=```|\\n##)",
            Pattern.DOTALL);

    private static final Pattern BODY = Pattern.compile("-d '(.*?)'", Pattern.DOTALL);

    private static final Pattern QUOTED = Pattern.compile("\"(\\w+)\": (-?[0-9](?:[0-9.E+]*[0-9])?|true|false|\\[[^\\]]*\\])");

    private static final Pattern STATUS = Pattern.compile("^answers (?:`\"status\": )?([1-5][0-9]{2})\\b");

    @Autowired
    private MockMvcTester mvc;

    record Example(String path, String body, String answer) {

        int expectedStatus() {
            Matcher status = STATUS.matcher(this.answer.strip());
            return status.find() ? Integer.parseInt(status.group(1)) : 200;
        }
    }

    static List<Example> examples() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<Example> examples = new ArrayList<>();
        Matcher block = BLOCK.matcher(readme);
        while (block.find()) {
            Matcher body = BODY.matcher(block.group(1));
            examples.add(new Example(block.group(2), body.find() ? body.group(1) : null, block.group(3)));
        }
        return examples;
    }

    @Test
    void everyCurlExampleShouldAnswerAsTheReadmeShows() throws IOException {
        List<Example> examples = examples();
        assertThat(examples).as("curl examples in README.md").hasSizeGreaterThanOrEqualTo(8);
        for (Example example : examples) {
            MvcTestResult result = example.body() != null
                    ? this.mvc.post().uri(example.path()).contentType(MediaType.APPLICATION_JSON)
                            .content(example.body()).exchange()
                    : this.mvc.get().uri(example.path()).exchange();
            String answer = result.getResponse().getContentAsString(StandardCharsets.UTF_8).replace(" ", "");
            assertThat(result.getResponse().getStatus()).as(example.path() + " " + example.body())
                    .isEqualTo(example.expectedStatus());
            Matcher quoted = QUOTED.matcher(example.answer());
            while (quoted.find()) {
                String expected = ("\"" + quoted.group(1) + "\":" + quoted.group(2)).replace(" ", "");
                assertThat(answer).as("README example %s %s", example.path(), example.body()).contains(expected);
            }
        }
    }
}
