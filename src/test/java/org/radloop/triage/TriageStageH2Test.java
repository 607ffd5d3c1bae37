package org.radloop.triage;

import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The triage stage tests on the embedded default store, H2 in a file under the data folder. */
class TriageStageH2Test extends TriageStageTest {

    @BeforeAll
    static void startOnH2() throws Exception {
        startWith(new Properties());
    }

    @AfterAll
    static void stopH2() {
        stopEngine();
    }
}
