package org.radloop.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.ConfigProblem;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;

/** The clinician directories and the ACR policy: validation with file, line and field, and hot reload. */
class CriticalResultsConfigTest {

    private static final Path SCHEMAS = TestEngine.projectHome().resolve("conf/schemas");

    @TempDir
    Path conf;

    @Test
    void theShippedFilesAreValid() {
        CriticalResultsConfig shipped = new CriticalResultsConfig(TestEngine.projectHome().resolve("conf"));
        assertThat(shipped.check()).isEmpty();
        shipped.reload();
        FacilityDirectory stMarys = shipped.directory("st-marys").orElseThrow();
        assertThat(stMarys.chain()).extracting(EscalationStep::role)
                .containsExactly("ordering-clinician", "covering-clinician", "department-head", "radiologist");
        CriticalResultPolicy policy = shipped.policy();
        assertThat(policy.firstStepDeadline(1)).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.firstStepDeadline(2)).isEqualTo(Duration.ofHours(4));
        assertThat(policy.firstStepDeadline(3)).isEqualTo(Duration.ofDays(3));
        assertThat(stMarys.chain().get(1).deadline(2, policy)).isEqualTo(Duration.ofHours(2));
        assertThat(stMarys.chain().get(0).deadline(1, policy)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void problemsNameFileLineAndField() throws Exception {
        Path file = write("st-marys", """
                facility: st-marys
                clinicians:
                  - id: "D1"
                    name: Dr One
                    email: one@example.org
                    coveredBy: "D7"
                  - id: "D2"
                    name: Dr Two
                escalation:
                  - step: ordering-clinician
                  - step: covering-clinician
                    acknowledgeWithin: 15min
                  - step: department-head
                    clinician: "D9"
                """);
        // The schema's problem first: the file is not read further until it passes.
        List<ConfigProblem> schema = config().check();
        assertThat(schema).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.line()).isEqualTo(12);
            assertThat(p.field()).isEqualTo("escalation[1].acknowledgeWithin");
        });
        Files.writeString(file, Files.readString(file).replace("15min", "15m"));
        List<ConfigProblem> references = config().check();
        assertThat(references).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                file + ":6: clinicians[0].coveredBy: 'D7' is not a listed clinician",
                file + ":7: clinicians[1]: 'D2' has neither email nor pager: nobody could reach them",
                file + ":14: escalation[2].clinician: 'D9' is not a listed clinician");

        Path other = write("northgate-imaging", """
                facility: st-marys
                clinicians: [{id: "X", name: X, email: x@example.org}]
                escalation:
                  - step: department-head
                """);
        assertThat(config().check()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(other);
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.field()).isEqualTo("escalation[0].clinician");
            assertThat(p.message()).contains("required property 'clinician'");
        });
        Files.writeString(other, Files.readString(other).replace("- step: department-head", "- step: department-head\n    clinician: X"));
        assertThat(config().check()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(other);
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.field()).isEqualTo("facility");
            assertThat(p.message()).contains("must match the file name 'northgate-imaging'");
        });
    }

    @Test
    void anInvalidChangeIsRefusedAndThePreviousDirectoryStays() throws Exception {
        Path file = write("st-marys", valid("Dr First"));
        CriticalResultsConfig config = config();
        assertThat(config.reload()).isEmpty();
        assertThat(config.directory("st-marys").orElseThrow().clinicians().get("D1").name()).isEqualTo("Dr First");

        Files.writeString(file, valid("Dr Second").replace("step: clinician", "step: janitor"));
        touch(file, 1);
        List<ConfigProblem> refused = config.reload();
        assertThat(refused).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.field()).isEqualTo("escalation[0].step");
        });
        assertThat(config.refused()).containsKey(file);
        assertThat(config.directory("st-marys").orElseThrow().clinicians().get("D1").name()).isEqualTo("Dr First");

        Files.writeString(file, valid("Dr Second"));
        touch(file, 2);
        assertThat(config.reload()).isEmpty();
        assertThat(config.refused()).isEmpty();
        assertThat(config.directory("st-marys").orElseThrow().clinicians().get("D1").name()).isEqualTo("Dr Second");
    }

    @Test
    void aBrokenPolicyKeepsTheDefaults() throws Exception {
        Path policy = conf.resolve("critical-results.yaml");
        Files.writeString(policy, "categories:\n  \"1\": {acknowledgeWithin: soon}\n");
        CriticalResultsConfig config = config();
        List<ConfigProblem> problems = config.reload();
        assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p.file()).isEqualTo(policy));
        assertThat(problems).anySatisfy(p -> assertThat(p.field()).isEqualTo("categories[1].acknowledgeWithin"));
        assertThat(config.policy()).isEqualTo(CriticalResultPolicy.DEFAULT);
    }

    private static String valid(String name) {
        return """
                facility: st-marys
                clinicians:
                  - id: "D1"
                    name: %s
                    pager: "+447700900001"
                escalation:
                  - step: clinician
                    clinician: "D1"
                    acknowledgeWithin: 5m
                """.formatted(name);
    }

    private CriticalResultsConfig config() {
        return new CriticalResultsConfig(conf.resolve("critical-results.yaml"), conf.resolve("directory"), new SchemaValidator(SCHEMAS));
    }

    private Path write(String facility, String yaml) throws Exception {
        Path file = Files.createDirectories(conf.resolve("directory")).resolve(facility + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** A distinct modification time, as an editor saving seconds later would leave. */
    private static void touch(Path file, int seconds) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seconds)));
    }
}
