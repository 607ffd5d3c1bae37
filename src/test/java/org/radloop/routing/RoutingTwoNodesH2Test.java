package org.radloop.routing;

import org.radloop.model.Store;

/** {@link RoutingTwoNodes} on one embedded H2 database opened by both nodes of this process. */
class RoutingTwoNodesH2Test extends RoutingTwoNodes {

    @Override
    String databaseUrl() {
        return Store.embeddedUrl(folder.resolve("shared-db"));
    }
}
