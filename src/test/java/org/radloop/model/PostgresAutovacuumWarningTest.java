package org.radloop.model;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.radloop.support.TestDatabases;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL without autovacuum never analyses RadLoop's tables, and its cached plans go bad as
 * they grow (bench/README.md). The Store says so at start, and only then: the assertion follows the
 * setting of the PostgreSQL this machine runs, whichever it is.
 */
class PostgresAutovacuumWarningTest {

    @Test
    void theStoreWarnsAtStartWhenPostgresHasAutovacuumOffAndOnlyThen() throws Exception {
        boolean off;
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_BASE, "postgres", "");
             ResultSet r = c.createStatement().executeQuery("show autovacuum")) {
            r.next();
            off = "off".equals(r.getString(1));
        }
        Logger log = (Logger) LoggerFactory.getLogger(Store.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        String url = TestDatabases.freshPostgresSchema();
        try (Store store = Store.open(url, null, null, 2)) {
            assertThat(store.isPostgres()).isTrue();
        } finally {
            log.detachAppender(seen);
            TestDatabases.dropSchemaOf(url);
        }
        boolean warned = seen.list.stream().anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("autovacuum off"));
        assertThat(warned).as("warned, with autovacuum " + (off ? "off" : "on")).isEqualTo(off);
    }
}
