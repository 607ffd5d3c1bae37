package org.radloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.support.TestEngine;
import picocli.CommandLine;

/** {@code radloop config validate} also checks the report QC files, and names file, line and field. */
class ConfigValidateQcTest {

    private static String run(Path conf, Path mappings, int[] exit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit[0] = new CommandLine(new RadLoopCommand()).execute("config", "validate", conf.toString(), "--mappings", mappings.toString());
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBrokenQcRulesFileFailsValidation(@TempDir Path home) throws Exception {
        Path project = TestEngine.projectHome();
        int[] exit = new int[1];
        String ok = run(project.resolve("conf"), project.resolve("mappings"), exit);
        assertThat(exit[0]).as(ok).isZero();

        Path conf = Files.createDirectories(home.resolve("conf"));
        Path schemas = Files.createDirectories(conf.resolve("schemas"));
        Files.createDirectories(conf.resolve("facilities"));
        try (var list = Files.list(project.resolve("conf/schemas"))) {
            for (Path s : list.toList()) Files.copy(s, schemas.resolve(s.getFileName()));
        }
        Files.writeString(conf.resolve("qc-rules.yaml"), "rules:\n  placeholder:\n    enabled: true\n    severity: maybe\n");
        String bad = run(conf, project.resolve("mappings"), exit);
        assertThat(exit[0]).isEqualTo(1);
        assertThat(bad).contains("qc-rules.yaml:4: rules.placeholder.severity");
    }
}
