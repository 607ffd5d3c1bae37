package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RadLoopSettings;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;
import org.radloop.triage.demo.DemoModelBuilder;
import org.radloop.triage.demo.PhantomSeries;

/** Whole-study triage: models from YAML, rules from the lexicon, the facility's turnaround from its YAML. */
class StudyTriageTest {

    static final Path HOME = TestEngine.projectHome();

    @TempDir
    Path dir;

    private ModelRegistry registry;

    @AfterEach
    void close() {
        if (registry != null) registry.close();
    }

    private StudyTriage triage(Path modelsDir, Path dataDir) {
        SchemaValidator validator = new SchemaValidator(HOME.resolve("conf/schemas"));
        registry = new ModelRegistry(modelsDir, dataDir, validator, 1, Duration.ofSeconds(30), null);
        registry.reload();
        return new StudyTriage(registry, new ClinicalRules(TriageLexicon.read(validator, HOME.resolve("mappings/triage-lexicon.yaml"))),
                new PriorityPolicy());
    }

    /** St Mary's turnaround agreement as its facility file states it. */
    private static FacilityConfig.Turnaround stMarys() {
        FacilityRegistry facilities = new FacilityRegistry(RadLoopSettings.of(HOME, new java.util.Properties()));
        facilities.reload();
        return facilities.byId("st-marys").orElseThrow().config().turnaround();
    }

    private static StudyFacts ctHead(List<Path> files, OrderFacts order, Instant completed) {
        return new StudyFacts("st-marys", "CT", "HEAD", List.of("CT HEAD WITHOUT CONTRAST", "AXIAL 5MM"), files, order,
                completed, stMarys());
    }

    @Test
    void theFacilityTurnaroundComesFromItsYaml() {
        assertThat(stMarys()).isEqualTo(new FacilityConfig.Turnaround(60, 240, 2880));
    }

    @Test
    void aBleedCtIsCriticalAndComesBeforeRoutineStudiesThatArrivedEarlier() throws Exception {
        Path models = dir.resolve("models");
        DemoModelFixture.copyYaml(DemoModelBuilder.CT_HEAD_BLEED, models);
        StudyTriage triage = triage(models, DemoModelFixture.dataDir());
        Instant now = Instant.now();
        OrderFacts routine = new OrderFacts("ROUTINE", "O", "WARD 7", "headache", List.of());

        List<TriageDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<Path> files = PhantomSeries.writeCtHead(dir.resolve("routine-" + i), 100 + i, 8, 64, false);
            decisions.add(triage.triage(ctHead(files, routine, now.minus(Duration.ofMinutes(30 - i))), now));
        }
        List<Path> bleedFiles = PhantomSeries.writeCtHead(dir.resolve("bleed"), 11, 12, 64, true);
        TriageDecision bleed = triage.triage(ctHead(bleedFiles, routine, now), now);
        decisions.add(bleed);

        assertThat(bleed.urgency()).isEqualTo(Urgency.CRITICAL);
        assertThat(bleed.jmsPriority()).isEqualTo(9);
        assertThat(bleed.deadline()).isEqualTo(now.plus(Duration.ofMinutes(60)));
        assertThat(bleed.findings()).extracting(Finding::code).containsExactly("RADLOOP-DEMO-ICH");
        assertThat(bleed.modelResults()).singleElement().satisfies(r -> assertThat(r.ran()).isTrue());
        assertThat(decisions.subList(0, 5)).allSatisfy(d -> {
            assertThat(d.urgency()).isEqualTo(Urgency.ROUTINE);
            assertThat(d.findings()).isEmpty();
        });
        assertThat(decisions.stream().sorted(Comparator.comparingDouble(TriageDecision::score).reversed()).findFirst())
                .contains(bleed);
    }

    @Test
    void aMissingModelDoesNotHoldUpTriage() throws Exception {
        Path models = dir.resolve("models");
        Files.createDirectories(models);
        Files.writeString(models.resolve("gone.yaml"), TestOnnxGraphs.hyperdensityYaml("gone", "gone.onnx", "CT"));
        StudyTriage triage = triage(models, dir.resolve("data"));
        Instant now = Instant.now();

        TriageDecision d = triage.triage(ctHead(PhantomSeries.writeCtHead(dir.resolve("ct"), 7, 6, 64, true),
                new OrderFacts("STAT", "E", "ED", "rule out stroke", List.of()), now), now);

        assertThat(d.urgency()).isEqualTo(Urgency.URGENT);
        assertThat(d.modelResults()).isEmpty();
        assertThat(d.reasons()).anySatisfy(r -> {
            assertThat(r.code()).isEqualTo("model-unavailable:gone");
            assertThat(r.text()).contains("gone.onnx does not exist");
        });
        assertThat(d.reasons()).extracting(Reason::code).contains("lexicon:stroke", "order-priority:STAT");
    }

    @Test
    void aModelThatBreaksWhileRunningDoesNotHoldUpTriageEither() throws Exception {
        Path models = dir.resolve("models");
        TestOnnxGraphs.hyperdensityDetector(models.resolve("cnn.onnx"));
        Files.writeString(models.resolve("wrong.yaml"), TestOnnxGraphs.hyperdensityYaml("wrong", "cnn.onnx", "CT")
                .replace("windows: [{centre: 60, width: 40}, {centre: 100, width: 40}]", "windows: [{centre: 60, width: 40}]"));
        StudyTriage triage = triage(models, dir.resolve("data"));
        Instant now = Instant.now();

        TriageDecision d = triage.triage(ctHead(PhantomSeries.writeCtHead(dir.resolve("ct"), 8, 6, 64, false),
                new OrderFacts("ROUTINE", "O", null, "headache", List.of()), now), now);

        assertThat(d.urgency()).isEqualTo(Urgency.ROUTINE);
        assertThat(d.reasons()).anySatisfy(r -> {
            assertThat(r.code()).isEqualTo("model-failed:wrong");
            assertThat(r.text()).contains("inference failed");
        });
        assertThat(registry.status("wrong").orElseThrow().state()).isEqualTo(ModelRegistry.State.UNAVAILABLE);
    }
}
