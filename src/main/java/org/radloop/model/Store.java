package org.radloop.model;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.resource.jdbc.spi.StatementInspector;
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
    /** The embedded database's file, synced after each writing commit; null for a server database. */
    private final Path databaseFile;
    private final GroupFsync fileSync;

    private Store(HikariDataSource dataSource, SessionFactory sessionFactory, String url, GroupFsync.Fsync fsync) {
        this.dataSource = dataSource;
        this.sessionFactory = sessionFactory;
        this.url = url;
        this.databaseFile = embeddedFile(url);
        this.fileSync = new GroupFsync(fsync);
    }

    public static Store open(RadLoopSettings settings) {
        String url = settings.get("radloop.db.url", null);
        if (url == null) url = embeddedUrl(settings.dataDir());
        return open(url, settings.get("radloop.db.user", url.startsWith("jdbc:h2:") ? "sa" : null),
                settings.get("radloop.db.password", ""), settings.getInt("radloop.db.pool.size", 16));
    }

    /**
     * WRITE_DELAY=0: H2 otherwise keeps committed changes in memory for up to half a second, and a
     * killed process would lose transactions whose messages were already acknowledged. H2 then writes
     * each commit to the file before the commit returns, but never syncs it: the Store does that
     * ({@link #fromTransaction}), or a power cut would lose them just the same.
     */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db/radloop").toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    public static Store open(String url, String user, String password, int poolSize) {
        return open(url, user, password, poolSize, GroupFsync::fdatasync);
    }

    /** @param fsync what makes the embedded database's file durable (a test wraps it to watch it) */
    static Store open(String url, String user, String password, int poolSize, GroupFsync.Fsync fsync) {
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
            if (url.startsWith("jdbc:postgresql:")) warnWithoutAutovacuum(ds);
            return new Store(ds, sf, url, fsync);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * Without autovacuum PostgreSQL never analyses RadLoop's tables, and the plans it caches for the
     * engine's prepared statements while the tables are new stay: an order lookup then walks every
     * order of the facility (measured: 250 falling to 100 HL7 messages/s on one connection after
     * 60,000 orders). Said once at start, where the interface analyst reads.
     */
    private static void warnWithoutAutovacuum(HikariDataSource ds) {
        try (Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet r = st.executeQuery("show autovacuum")) {
            if (r.next() && "off".equalsIgnoreCase(r.getString(1))) {
                LOG.warn("PostgreSQL runs with autovacuum off: RadLoop's tables are never analysed and queries slow down as they"
                        + " grow; turn autovacuum on, or run ANALYZE regularly");
            }
            c.rollback();
        } catch (java.sql.SQLException e) {
            LOG.debug("Could not read PostgreSQL's autovacuum setting: {}", e.toString());
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /**
     * Runs work in one transaction and returns its result; committed, and on disk, when it returns;
     * rolled back when it throws. On the embedded database a transaction that wrote anything waits
     * for an fsync of the database file that started after its commit (shared with the transactions
     * committing at the same moment, {@link GroupFsync}); what it returns may be acknowledged to a
     * sender. A server database (PostgreSQL) syncs its own log before its commit returns.
     */
    public <T> T fromTransaction(Function<Session, T> work) {
        return fromTransaction(work, true);
    }

    /**
     * Like {@link #fromTransaction}, but returns once committed without waiting for the disk: only
     * for work that nobody is answered on and whose loss in a power cut merely repeats it (the
     * outbox publisher's deletes: a lost delete re-sends a message its consumers ignore). It keeps
     * such commits from joining the fsyncs that acknowledgements wait for.
     */
    public void inTransactionRepeatable(Consumer<Session> work) {
        fromTransaction(s -> {
            work.accept(s);
            return null;
        }, false);
    }

    private <T> T fromTransaction(Function<Session, T> work, boolean durable) {
        if (databaseFile == null || !durable) return sessionFactory.fromTransaction(work);
        WriteWatch writes = new WriteWatch();
        T result;
        try (Session s = sessionFactory.withOptions().statementInspector(writes).openSession()) {
            result = s.fromTransaction(tx -> work.apply(s));
        }
        if (writes.wrote) {
            try {
                fileSync.sync(databaseFile);
            } catch (IOException e) {
                // Committed but maybe not on disk: nothing that depends on it may be acknowledged.
                LOG.error("The database file {} could not be synced: {}", databaseFile, e.toString());
                throw new UncheckedIOException("the database could not make the transaction durable", e);
            }
        }
        return result;
    }

    /** Runs work in one transaction; committed, and on disk, when it returns; rolled back when it throws. */
    public void inTransaction(Consumer<Session> work) {
        fromTransaction(s -> {
            work.accept(s);
            return null;
        });
    }

    /**
     * Notes whether a session sent anything but a query: only then has the file something to sync.
     * Anything not starting with {@code select} counts, so a statement it does not know costs one
     * fsync too many, never one too few.
     */
    private static final class WriteWatch implements StatementInspector {
        boolean wrote;

        @Override
        public String inspect(String sql) {
            if (!wrote && !sql.stripLeading().regionMatches(true, 0, "select", 0, 6)) wrote = true;
            return sql;
        }
    }

    /** The file an embedded H2 URL names ({@code jdbc:h2:file:PATH} or {@code jdbc:h2:PATH}), or null. */
    static Path embeddedFile(String url) {
        if (!url.startsWith("jdbc:h2:")) return null;
        String rest = url.substring("jdbc:h2:".length());
        int options = rest.indexOf(';');
        if (options >= 0) rest = rest.substring(0, options);
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (!(rest.startsWith("/") || rest.startsWith("./") || rest.startsWith("~/"))) {
            return null; // mem:, tcp:, ssl: ...: nothing of ours to sync
        }
        if (rest.startsWith("~/")) rest = System.getProperty("user.home") + rest.substring(1);
        return Path.of(rest + ".mv.db").toAbsolutePath();
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
