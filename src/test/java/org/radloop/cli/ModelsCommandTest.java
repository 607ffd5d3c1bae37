package org.radloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelsCommandTest {

    @TempDir
    Path home;

    @Test
    void buildDemoWritesModelsCardsAndYamlThenListShowsThemAvailable() throws Exception {
        // A RadLoop home of its own: the schemas from the checkout, nothing else.
        Files.createDirectories(home.resolve("conf/schemas"));
        try (var schemas = Files.list(Path.of("conf/schemas"))) {
            for (Path s : schemas.toList()) Files.copy(s, home.resolve("conf/schemas").resolve(s.getFileName()));
        }
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int build, list;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            build = new CommandLine(new RadLoopCommand()).execute("models", "build-demo", "--home", home.toString(),
                    "--cases", "150", "--test-cases", "100", "--size", "64");
            list = new CommandLine(new RadLoopCommand()).execute("models", "list", "--home", home.toString());
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(build).isZero();
        assertThat(list).isZero();
        assertThat(home.resolve("data/models/ct-head-bleed-demo/model.onnx")).isRegularFile();
        assertThat(home.resolve("data/models/cxr-pneumothorax-demo/model-card.md")).isRegularFile();
        assertThat(home.resolve("conf/models/ct-head-bleed-demo.yaml")).isRegularFile();
        assertThat(text).contains("ct-head-bleed-demo: AUC ").contains("Demonstration models, not for clinical use.")
                .contains("ct-head-bleed-demo 1.0.0 AVAILABLE").contains("cxr-pneumothorax-demo 1.0.0 AVAILABLE");
    }
}
