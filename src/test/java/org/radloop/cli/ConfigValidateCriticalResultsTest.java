package org.radloop.cli;

import org.radloop.support.TestEngine;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code radloop config validate} also checks the critical-results policy and the clinician directories. */
class ConfigValidateCriticalResultsTest {

    @TempDir
    Path home;

    @Test
    void aBrokenDirectoryIsReportedWithFileLineAndField() throws Exception {
        TestEngine.copyTree(Path.of("conf"), home.resolve("conf"));
        TestEngine.copyTree(Path.of("mappings"), home.resolve("mappings"));
        assertThat(run()).startsWith("0:");

        Path dir = home.resolve("conf/directory/st-marys.yaml");
        Files.writeString(dir, Files.readString(dir).replace("clinician: \"D1900\"", "clinician: \"D1999\""));
        String out = run();
        assertThat(out).startsWith("1:").contains(dir + ":").contains(": escalation[2].clinician: 'D1999' is not a listed clinician");
    }

    private String run() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = new CommandLine(new RadLoopCommand()).execute("config", "validate", home.resolve("conf").toString());
        } finally {
            System.setOut(original);
        }
        return code + ":" + out.toString(StandardCharsets.UTF_8);
    }
}
