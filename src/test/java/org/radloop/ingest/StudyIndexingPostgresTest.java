package org.radloop.ingest;

import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.radloop.support.TestDatabases;

/**
 * The indexing tests on the local PostgreSQL, in a schema of their own: V3 must migrate there as on
 * H2, and concurrent inserts of one study must resolve the same way under PostgreSQL's locking.
 */
class StudyIndexingPostgresTest extends StudyIndexingTest {

    static String url;

    @BeforeAll
    static void startOnPostgres() throws Exception {
        url = TestDatabases.freshPostgresSchema();
        Properties p = new Properties();
        p.setProperty("radloop.db.url", url);
        startWith(p);
    }

    @AfterAll
    static void stopAndDropSchema() {
        stopEngine();
        try {
            TestDatabases.dropSchemaOf(url);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
