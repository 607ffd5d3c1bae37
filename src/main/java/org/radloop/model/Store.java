package org.radloop.model;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.radloop.config.RadLoopSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RadLoop's relational store: Flyway migrates it, Hibernate maps it. Embedded H2 in a file under the
 * data folder unless {@code radloop.db.url} names another database (PostgreSQL in production).
 */
public final class Store implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    /** Every entity class; a new entity is added here and in a Flyway migration. */
    private static final Class<?>[] ENTITIES = {
        Facility.class, Patient.class, ImagingOrder.class, MessageRecord.class, AuditEvent.class,
        StageOutboxEntry.class,
        Study.class, Series.class, Instance.class, QuarantinedInstance.class,
        TriageRecord.class, AiFinding.class,
        ForwardingTask.class, PriorSearch.class, StudyPrior.class,
        ReadingCase.class, AssignmentRecord.class, ReaderAvailability.class, Report.class, ReportVersion.class,
        ReportDiff.class, FindingReview.class, AddedFinding.class,
        CriticalResultRecord.class, CriticalNotification.class, CriticalResultEvent.class,
        Delivery.class,
        TrainingLabel.class, ModelVersion.class, ShadowRun.class,
        QcResultRecord.class, OnCallPage.class
    };

    private final HikariDataSource dataSource;
    private final SessionFactory sessionFactory;
    private final String url;

    private Store(HikariDataSource dataSource, SessionFactory sessionFactory, String url) {
        this.dataSource = dataSource;
        this.sessionFactory = sessionFactory;
        this.url = url;
    }

    public static Store open(RadLoopSettings settings) {
        String url = settings.get("radloop.db.url", null);
        if (url == null) url = embeddedUrl(settings.dataDir());
        return open(url, settings.get("radloop.db.user", url.startsWith("jdbc:h2:") ? "sa" : null),
                settings.get("radloop.db.password", ""), settings.getInt("radloop.db.pool.size", 16));
    }

    /**
     * WRITE_DELAY=0: H2 otherwise keeps committed changes in memory for up to half a second, and a
     * killed process would lose transactions whose messages were already acknowledged.
     */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db/radloop").toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    public static Store open(String url, String user, String password, int poolSize) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        if (user != null) pool.setUsername(user);
        if (password != null) pool.setPassword(password);
        pool.setMaximumPoolSize(poolSize);
        pool.setPoolName("radloop-store");
        pool.setAutoCommit(false);
        pool.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        HikariDataSource ds = new HikariDataSource(pool);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            Configuration cfg = new Configuration();
            for (Class<?> c : ENTITIES) cfg.addAnnotatedClass(c);
            cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, ds);
            cfg.setProperty(AvailableSettings.HBM2DDL_AUTO, "none");
            cfg.setProperty(AvailableSettings.SHOW_SQL, "false");
            cfg.setProperty(AvailableSettings.CONNECTION_PROVIDER_DISABLES_AUTOCOMMIT, "true");
            cfg.setProperty(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
            SessionFactory sf = cfg.buildSessionFactory();
            LOG.info("Store open on {}", redact(url));
            return new Store(ds, sf, url);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** Runs work in one transaction and returns its result; committed when it returns, rolled back when it throws. */
    public <T> T fromTransaction(Function<Session, T> work) {
        return sessionFactory.fromTransaction(work);
    }

    /** Runs work in one transaction; committed when it returns, rolled back when it throws. */
    public void inTransaction(Consumer<Session> work) {
        sessionFactory.inTransaction(work);
    }

    /** Why the database is not answering, or null when it is. */
    public String problem() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2) ? null : "database connection is not valid";
        } catch (Exception e) {
            return "database unreachable: " + e.getMessage();
        }
    }

    public SessionFactory sessionFactory() {
        return sessionFactory;
    }

    @Override
    public void close() {
        sessionFactory.close();
        dataSource.close();
    }
}
