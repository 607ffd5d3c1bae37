package org.radloop.delivery;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.radloop.support.TestDatabases;

/** The closed loop of critical results on the local PostgreSQL (row locks are PostgreSQL's own). */
class CriticalResultLoopPostgresTest extends CriticalResultLoop {

    private static String url;

    @BeforeAll
    static void start() throws Exception {
        url = TestDatabases.freshPostgresSchema();
        startEngine(url);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        stopEngine();
        TestDatabases.dropSchemaOf(url);
    }
}
