package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.support.TestEngine;
import org.radloop.triage.demo.DemoModelBuilder;
import org.radloop.triage.demo.TriageBenchmark;

/**
 * The triage benchmark (`radloop models benchmark`) still runs end to end on a tiny load: it is not
 * part of the suite's timing (no figure is asserted), only its working.
 */
class TriageBenchmarkSmokeTest {

    @TempDir
    Path dir;

    @Test
    void theBenchmarkTriagesItsPhantomStudiesWithTheDemonstrationModel() throws Exception {
        Path models = dir.resolve("models");
        DemoModelFixture.copyYaml(DemoModelBuilder.CT_HEAD_BLEED, models);
        Path home = TestEngine.projectHome();
        TriageBenchmark.Figures f = new TriageBenchmark().run(models, DemoModelFixture.dataDir(), home.resolve("conf/schemas"),
                home.resolve("mappings/triage-lexicon.yaml"), Files.createDirectories(dir.resolve("work")), 4, 8, 64);

        assertThat(f.studies()).isEqualTo(4);
        assertThat(f.slicesPerStudy()).isEqualTo(8);
        // Every other study has a bleed, and the demonstration model finds each of them.
        assertThat(f.criticalStudies()).isBetween(2L, 4L);
        assertThat(f.p50Ms()).isPositive().isLessThanOrEqualTo(f.p99Ms());
        assertThat(f.p99Ms()).isLessThanOrEqualTo(f.maxMs());
        assertThat(f.toString()).contains("4 studies of 8 slices");
    }
}
