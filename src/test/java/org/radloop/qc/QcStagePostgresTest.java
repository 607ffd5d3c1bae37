package org.radloop.qc;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.support.TestDatabases;

/**
 * The QC stage's table (V11) and queries on the local PostgreSQL: the same loop as {@link QcStageTest}
 * for a clean report (delivered once, then its addendum as corrected) and a blocked one (back to the
 * worklist, overridden with a reason, delivered once).
 */
class QcStagePostgresTest {

    @TempDir
    static Path folder;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        url = TestDatabases.freshPostgresSchema();
        QcStageTest.startLoop(folder, url);
    }

    @AfterAll
    static void stop() throws Exception {
        QcStageTest.stopLoop();
        if (url != null) TestDatabases.dropSchemaOf(url);
    }

    @Test
    void aCleanReportAndItsAddendumAreDeliveredOnceEachOnPostgres() throws Exception {
        new QcStageTest().aCleanSignedReportPassesQcAndReachesTheRisExactlyOnceAsOruR01();
    }

    @Test
    void aBlockedReportIsHeldUntilOverriddenOnPostgres() throws Exception {
        new QcStageTest().aBlockedReportIsNotDeliveredReturnsToItsReaderAndAnOverrideWithAReasonDeliversIt();
    }
}
