package org.radloop.routing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.radloop.support.TestDatabases;

/** {@link RoutingTwoNodes} on the local PostgreSQL, each test in a fresh schema. */
class RoutingTwoNodesPostgresTest extends RoutingTwoNodes {

    private final List<String> schemas = new ArrayList<>();

    @Override
    String databaseUrl() throws Exception {
        String url = TestDatabases.freshPostgresSchema();
        schemas.add(url);
        return url;
    }

    @AfterEach
    void dropSchemas() throws Exception {
        close();
        stores.clear();
        for (String url : schemas) TestDatabases.dropSchemaOf(url);
    }
}
