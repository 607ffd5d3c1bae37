package org.radloop.triage;

import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.radloop.support.TestDatabases;

/**
 * The triage stage tests on the local PostgreSQL, in a schema of their own: the row locks, the
 * worklist's query (latest decision per study) and the model counts must hold there as on H2.
 */
class TriageStagePostgresTest extends TriageStageTest {

    static String url;

    @BeforeAll
    static void startOnPostgres() throws Exception {
        url = TestDatabases.freshPostgresSchema();
        Properties p = new Properties();
        p.setProperty("radloop.db.url", url);
        startWith(p);
    }

    @AfterAll
    static void stopAndDropSchema() throws Exception {
        stopEngine();
        TestDatabases.dropSchemaOf(url);
    }
}
