package dev.llmcalc;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@SpringBootTest
@AutoConfigureMockMvc
class ScratchReadmeTests {
    private static final Pattern QUOTED = Pattern.compile("\"(\\w+)\": (-?[0-9](?:[0-9.E+]*[0-9])?|true|false|\\[[^\\]]*\\])");
    @Autowired MockMvcTester mvc;
    @Test void show() throws Exception {
        for (ReadmeExamplesTests.Example example : ReadmeExamplesTests.examples()) {
            MvcTestResult result = example.body() != null
                    ? this.mvc.post().uri(example.path()).contentType(MediaType.APPLICATION_JSON).content(example.body()).exchange()
                    : this.mvc.get().uri(example.path()).exchange();
            String answer = result.getResponse().getContentAsString(StandardCharsets.UTF_8).replace(" ", "");
            Matcher quoted = QUOTED.matcher(example.answer());
            while (quoted.find()) {
                String expected = ("\"" + quoted.group(1) + "\":" + quoted.group(2)).replace(" ", "");
                if (!answer.contains(expected)) {
                    Matcher m = Pattern.compile("\"" + quoted.group(1) + "\":(-?[0-9][0-9.E+-]*|true|false|\\[[^\\]]*\\])").matcher(answer);
                    StringBuilder actual = new StringBuilder();
                    while (m.find()) actual.append(m.group(1)).append(" ; ");
                    System.out.println("MISMATCH|" + quoted.group(1) + "|" + quoted.group(2) + "|" + actual);
                }
            }
        }
    }
}
