package org.radloop.learning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.model.ModelVersion;
import org.radloop.model.TrainingLabel;
import org.radloop.support.TestDatabases;

/** The learning tables (V10) and their queries on PostgreSQL: labels, a promoted candidate, monitoring, shadow agreement. */
class LearningPostgresTest {

    @TempDir
    Path dir;
    private String url;

    @BeforeEach
    void schema() throws Exception {
        url = TestDatabases.freshPostgresSchema();
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropSchemaOf(url);
    }

    @Test
    void labelsRetrainingPromotionAndMonitoringOnPostgres() throws Exception {
        try (LearningFixture f = new LearningFixture(dir, 10, 1, LearningLoopTest.AUTOMATIC, url)) {
            f.triageAndSign(f.batch(2000, 40));
            assertThat(f.count("select count(*) from TrainingLabel")).isEqualTo(40);
            Retrainer.Outcome o = f.learning.retrainer().retrain(LearningFixture.MODEL, "test");
            assertThat(o.promoted()).as(o.decision().summary()).isTrue();
            assertThat(f.learning.versions().list(LearningFixture.MODEL)).extracting(ModelVersion::getState)
                    .containsExactly(ModelVersion.State.RETIRED, ModelVersion.State.CURRENT);
            var figures = f.learning.monitor().figures(LearningFixture.MODEL);
            assertThat(figures).extracting(ModelMonitor.VersionFigures::version).containsExactly("1.0.0");
            assertThat(figures.get(0).confirmed() + figures.get(0).rejected() + figures.get(0).missed()
                    + figures.get(0).confirmedNegative()).isEqualTo(40);
            assertThat(f.list("from TrainingLabel where verdict = 'ADDED_MISSED'", TrainingLabel.class))
                    .allSatisfy(l -> assertThat(l.getModelVersion()).isEqualTo("1.0.0"));
            assertThat(f.learning.shadow().agreement(LearningFixture.MODEL)).isEmpty();
        }
    }
}
