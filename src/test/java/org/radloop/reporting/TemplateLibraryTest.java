package org.radloop.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.cli.RadLoopCommand;
import org.radloop.config.ConfigProblem;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;
import picocli.CommandLine;

/**
 * The shipped report templates are valid and cover the procedure catalogue; a broken template or
 * roster is named by {@code radloop config validate} with file, line and field.
 */
class TemplateLibraryTest {

    final Path home = TestEngine.projectHome();
    final SchemaValidator validator = new SchemaValidator(home.resolve("conf/schemas"));

    @Test
    void everyShippedTemplateIsValidAndEveryProcedureNamesOne() throws Exception {
        assertThat(TemplateLibrary.check(home.resolve("mappings/templates"), validator)).isEmpty();
        TemplateLibrary library = new TemplateLibrary(home.resolve("mappings/templates"), validator);
        for (String id : List.of("ct-head-noncontrast", "xr-chest", "ct-chest-pe", "ct-abdomen-pelvis", "mr-brain", "mr-knee",
                "us-abdomen", "mg-screening", "generic")) {
            assertThat(library.byId(id)).as(id).isPresent();
        }
        String procedures = Files.readString(home.resolve("mappings/procedures.yaml"));
        for (String line : procedures.split("\n")) {
            int at = line.indexOf("template: ");
            if (at < 0) continue;
            String template = line.substring(at + 10).replaceAll("[,}].*", "").trim();
            assertThat(library.byId(template)).as("procedure line names template " + template).isPresent();
        }
        assertThat(library.choose(null, "CT", "HEAD").id()).as("no mapping: modality and body part").isEqualTo("ct-head-noncontrast");
        assertThat(library.choose(null, "NM", "BONE").id()).isEqualTo(TemplateLibrary.GENERIC);
    }

    @Test
    void configValidateNamesABrokenTemplateAndABrokenRoster(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("conf");
        Path mappings = dir.resolve("mappings");
        TestEngine.copyTree(home.resolve("conf"), conf);
        TestEngine.copyTree(home.resolve("mappings"), mappings);
        Path template = mappings.resolve("templates/xr-chest.yaml");
        Files.writeString(template, Files.readString(template).replace("impressionNormal:", "impressionNormally:"));
        Path roster = conf.resolve("radiologists.yaml");
        Files.writeString(roster, Files.readString(roster).replaceFirst("rvuPerHour: 9", "rvuPerHour: fast"));

        List<ConfigProblem> problems = TemplateLibrary.check(mappings.resolve("templates"), validator);
        assertThat(problems).isNotEmpty().allMatch(p -> p.file().equals(template));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream was = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new RadLoopCommand()).execute("config", "validate", conf.toString());
        } finally {
            System.setOut(was);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(1);
        assertThat(printed).contains(template + ":").contains("impressionNormally")
                .contains(roster + ":").contains("radiologists[0].rvuPerHour");
    }
}
