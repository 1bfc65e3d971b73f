package dev.llmcalc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the HTTP service. The calculations live in {@code dev.llmcalc.core}, free of Spring. */
@SpringBootApplication
public class LlmCalculatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(LlmCalculatorApplication.class, args);
    }
}
