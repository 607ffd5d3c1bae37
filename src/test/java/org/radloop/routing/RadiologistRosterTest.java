package org.radloop.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.ConfigProblem;
import org.radloop.config.RadiologistConfig;
import org.radloop.config.RadiologistRoster;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;

/**
 * conf/radiologists.yaml: the shipped roster is valid, a changed file is picked up, an invalid one is
 * refused with file, line and field while the roster in force stays, and weekly shifts (night
 * shifts across midnight included) are read in the radiologist's time zone.
 */
class RadiologistRosterTest {

    @TempDir
    Path dir;
    final SchemaValidator validator = new SchemaValidator(TestEngine.projectHome().resolve("conf/schemas"));

    @Test
    void theShippedRosterIsValid() {
        RadiologistRoster.Snapshot roster = RadiologistRoster.load(TestEngine.projectHome().resolve("conf/radiologists.yaml"), validator);
        assertThat(roster.all()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(roster.policy().onCall()).isNotEmpty();
    }

    @Test
    void anInvalidChangeIsRefusedWithFileLineAndFieldAndThePreviousRosterStays() throws Exception {
        Path file = dir.resolve("radiologists.yaml");
        Files.writeString(file, RoutingEngines.ROSTER);
        RadiologistRoster roster = new RadiologistRoster(file, validator);
        assertThat(roster.reload()).isEmpty();
        assertThat(roster.current().all()).hasSize(5);

        Files.writeString(file, """
                radiologists:
                  - id: only-one
                    name: Only One
                    subspecialties: [neuro]
                    privileges: [st-marys]
                    licences: [GB-ENG]
                    timeZone: Europe/London
                    maxOpenCases: 0
                    rvuPerHour: 9
                """);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        List<ConfigProblem> problems = roster.reload();
        assertThat(problems).hasSize(1);
        ConfigProblem p = problems.get(0);
        assertThat(p.file()).isEqualTo(file);
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.field()).isEqualTo("radiologists[0].maxOpenCases");
        assertThat(roster.current().all()).as("the roster in force stays").hasSize(5);
        assertThat(roster.refused()).isEqualTo(problems);

        Files.writeString(file, RoutingEngines.ROSTER.replace("id: weekend", "id: neuro-a"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(roster.reload()).extracting(ConfigProblem::message).containsExactly("'neuro-a' is already used by radiologists[0]");

        Files.writeString(file, RoutingEngines.ROSTER.replace("id: weekend", "id: weekend-2"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(15)));
        assertThat(roster.reload()).isEmpty();
        assertThat(roster.byId("weekend-2")).isPresent();
        assertThat(roster.refused()).isEmpty();
    }

    @Test
    void onCallEntriesWithoutAWayToReachThemAreRefusedWithLineAndField() throws Exception {
        Path file = dir.resolve("radiologists.yaml");
        String entries = """
                    - {radiologist: neuro-a, name: Neuro A, pager: "+447700900401"}
                    - {radiologist: nobody-here, name: Ghost, email: ghost@oncall.example}
                    - {name: Switchboard}
                    - {name: Duty phone, email: duty@oncall.example, channels: [email, sms]}
                """;
        String roster = RoutingEngines.ROSTER.replaceFirst("(?s)  onCall:\n.*?\nradiologists:", "  onCall:\n" + entries + "radiologists:");
        Files.writeString(file, roster);
        int first = List.of(roster.split("\n")).indexOf("    - {radiologist: neuro-a, name: Neuro A, pager: \"+447700900401\"}") + 1;
        List<ConfigProblem> problems = new RadiologistRoster(file, validator).reload();
        assertThat(problems).extracting(ConfigProblem::field, ConfigProblem::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("policy.onCall[1].radiologist", first + 1),
                org.assertj.core.groups.Tuple.tuple("policy.onCall[2]", first + 2),
                org.assertj.core.groups.Tuple.tuple("policy.onCall[3].channels[1]", first + 3));
        assertThat(problems).extracting(ConfigProblem::message).containsExactly(
                "'nobody-here' is not a radiologist of this roster",
                "'Switchboard' has neither email nor pager: the on-call page could not reach them",
                "'sms' is asked for but 'Duty phone' has no pager");
        assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo(file));

        // The old form (bare names, no contact point) is refused by the schema.
        Files.writeString(file, RoutingEngines.ROSTER.replaceFirst("(?s)  onCall:\n.*?\nradiologists:", "  onCall: [neuro-a]\nradiologists:"));
        assertThat(new RadiologistRoster(file, validator).reload()).singleElement()
                .satisfies(p -> assertThat(p.field()).startsWith("policy.onCall"));
    }

    @Test
    void aNightShiftCountsAfterMidnightInTheRadiologistsTimeZone() {
        RadiologistConfig night = new RadiologistConfig("night", "Night", List.of("general"), List.of(), List.of(), "America/New_York",
                List.of(new RadiologistConfig.Shift(List.of("MON"), "19:00", "07:00")), 5, 5, null);
        // Monday 19:00 New York (EST) is 00:00 UTC on Tuesday.
        assertThat(night.scheduledShiftStart(Instant.parse("2026-03-02T23:59:00Z"))).isNull();
        assertThat(night.scheduledShiftStart(Instant.parse("2026-03-03T00:00:00Z"))).isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(night.scheduledShiftStart(Instant.parse("2026-03-03T11:59:00Z"))).as("06:59 Tuesday in New York")
                .isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(night.scheduledShiftEnd(Instant.parse("2026-03-03T05:00:00Z"))).isEqualTo(Instant.parse("2026-03-03T12:00:00Z"));
        assertThat(night.scheduledShiftStart(Instant.parse("2026-03-03T12:00:00Z"))).isNull();
    }
}
