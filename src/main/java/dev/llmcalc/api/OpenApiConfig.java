package dev.llmcalc.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.servers.Server;
import org.springframework.context.annotation.Configuration;

/** The served OpenAPI document. The server URL is pinned so the spec is the same on every port. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "llm-training-calculator", version = "v1",
                description = "Parameters, memory, communication and compute of decoder-only LLM training runs. "
                        + "Counts and bytes are exact integers; every estimate carries its assumptions and, where "
                        + "the source document has one, its formula (documentFormula).",
                license = @License(name = "Apache-2.0")),
        servers = @Server(url = "/"))
class OpenApiConfig {
}
