package dev.llmcalc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/lint-dockerfile.sh} when its linters are installed (the script installs them from the npm
 * registry on its first run). Without Node.js or the linters the tests are skipped, saying why, so that
 * {@code ./mvnw verify} never needs the network.
 */
class DockerfileLintTests {

    private static final Path SCRIPT = Path.of("bin", "lint-dockerfile.sh");

    private record Run(int exitCode, String output) {
    }

    /** Runs the script; skips the test, saying why, when Node.js (exit 2) or the linters (exit 3) are missing. */
    private static Run lint(Path dockerfile) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", SCRIPT.toString(), "--no-install", dockerfile.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("lint finished").isTrue();
        Run run = new Run(process.exitValue(), output);
        Assumptions.assumeTrue(run.exitCode() != 2 && run.exitCode() != 3,
                () -> "Dockerfile lint skipped: " + run.output().strip());
        return run;
    }

    @Test
    void dockerfileShouldPassBothLinters() throws IOException, InterruptedException {
        Run run = lint(Path.of("Dockerfile"));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("passed both linters");
    }

    @Test
    void lintersShouldCatchABrokenDockerfile(@TempDir Path dir) throws IOException, InterruptedException {
        Path broken = dir.resolve("Dockerfile");
        Files.writeString(broken, "FROM eclipse-temurin:17-jre\nRUN apt-get install curl\n"
                + "HEALTHCHECK --intervals=5s CMD true\nEXPOSE 80800\n");
        Run run = lint(broken);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("Unknown flag: intervals", "apt-get", "Invalid Port");
    }
}
