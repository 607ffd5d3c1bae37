package org.radloop.model;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Database leases ({@code node_lease}): a job that must run on one node at a time (the routing
 * sweep) runs only on the node that holds its lease. The holder renews it each time it runs; when it
 * stops renewing (stopped, crashed, cut off), another node takes it over once it has expired.
 *
 * <p>Taking and renewing are one conditional update each ("mine, or expired"), so two nodes racing
 * for an expired lease cannot both win: the second update finds the row already renewed. The first
 * holder ever inserts the row; a second node's insert then fails on the primary key and it does not
 * hold the lease.
 */
public final class NodeLeases {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLeases.class);

    private final Store store;
    private final String holder;

    /** @param holder this node's name, unique among the nodes sharing the database */
    public NodeLeases(Store store, String holder) {
        this.store = store;
        this.holder = holder;
    }

    public String holder() {
        return holder;
    }

    /**
     * Takes or renews the lease until {@code now + ttl}.
     *
     * @return whether this node holds it now
     */
    public boolean hold(String name, Duration ttl, Instant now) {
        try {
            return store.fromTransaction(s -> {
                int n = s.createNativeMutationQuery("update node_lease set acquired_at = case when holder = :me then acquired_at else :now end,"
                                + " holder = :me, expires_at = :exp where name = :name and (holder = :me or expires_at <= :now)")
                        .setParameter("me", holder).setParameter("now", now, Instant.class)
                        .setParameter("exp", now.plus(ttl), Instant.class).setParameter("name", name).executeUpdate();
                if (n == 1) return true;
                boolean exists = !s.createNativeQuery("select 1 from node_lease where name = :name", Object.class)
                        .setParameter("name", name).list().isEmpty();
                if (exists) return false;
                s.createNativeMutationQuery("insert into node_lease (name, holder, acquired_at, expires_at) values (:name, :me, :now, :exp)")
                        .setParameter("name", name).setParameter("me", holder).setParameter("now", now, Instant.class)
                        .setParameter("exp", now.plus(ttl), Instant.class).executeUpdate();
                return true;
            });
        } catch (RuntimeException e) {
            // Another node inserted the row first, or holds it locked while renewing: not ours this time.
            LOG.debug("Lease {} not taken by {}: {}", name, holder, e.getMessage());
            return false;
        }
    }

    /** Gives the lease up (on shutdown), so another node need not wait for it to expire. */
    public void release(String name) {
        store.inTransaction(s -> s.createNativeMutationQuery("delete from node_lease where name = :name and holder = :me")
                .setParameter("name", name).setParameter("me", holder).executeUpdate());
    }

    /** Who holds the lease now (null when nobody has taken it), for the API and tests. */
    public String holderOf(String name) {
        return store.fromTransaction(s -> {
            var rows = s.createNativeQuery("select holder from node_lease where name = :name", String.class).setParameter("name", name).list();
            return rows.isEmpty() ? null : rows.get(0);
        });
    }
}
