package org.radloop.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The local PostgreSQL (127.0.0.1:5432, trust auth, database "test"), with a schema of the test's
 * own so that test runs side by side never see each other's rows.
 */
public final class TestDatabases {

    public static final String POSTGRES_BASE = "jdbc:postgresql://127.0.0.1:5432/test";

    private TestDatabases() {
    }

    /** Creates a fresh schema and returns a JDBC URL whose tables live in it. */
    public static String freshPostgresSchema() throws Exception {
        String schema = "radloop_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES_BASE, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
        }
        return POSTGRES_BASE + "?currentSchema=" + schema + "&user=postgres";
    }

    public static void dropSchemaOf(String url) throws Exception {
        String schema = url.replaceAll(".*currentSchema=([a-z0-9_]+).*", "$1");
        try (Connection c = DriverManager.getConnection(POSTGRES_BASE, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
        }
    }
}
