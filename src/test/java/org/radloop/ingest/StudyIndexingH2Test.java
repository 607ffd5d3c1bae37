package org.radloop.ingest;

import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The indexing tests on the embedded default store, H2 in a file under the data folder. */
class StudyIndexingH2Test extends StudyIndexingTest {

    @BeforeAll
    static void startOnH2() throws Exception {
        startWith(new Properties());
    }

    @AfterAll
    static void stopH2() {
        stopEngine();
    }
}
