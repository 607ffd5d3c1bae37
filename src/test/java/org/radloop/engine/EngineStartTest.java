package org.radloop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.model.Facility;
import org.radloop.support.TestEngine;

class EngineStartTest {

    @TempDir
    Path data;

    @Test
    void startsOnEmbeddedDefaultsWithOneQueuePerStageAndTheExampleFacilities() throws Exception {
        try (RadLoopEngine engine = TestEngine.start(data)) {
            for (Stage stage : Stage.values()) {
                assertThat(engine.broker().depth(stage.queue())).as(stage.queue()).isZero();
                assertThat(engine.broker().depth(stage.deadLetterQueue())).as(stage.deadLetterQueue()).isZero();
            }
            assertThat(engine.broker().problem()).isNull();
            assertThat(engine.store().problem()).isNull();
            assertThat(engine.facilities().byHl7Sender("EPICRIS", "STMARYS")).isPresent();
            Facility northgate = engine.store().fromTransaction(s -> s.find(Facility.class, "northgate-imaging"));
            assertThat(northgate.getTimeZone()).isEqualTo("America/New_York");
        }
        assertThat(Files.isDirectory(data.resolve("broker/journal"))).isTrue();
        try (var files = Files.list(data.resolve("db"))) {
            assertThat(files.anyMatch(p -> p.getFileName().toString().startsWith("radloop"))).isTrue();
        }
    }
}
