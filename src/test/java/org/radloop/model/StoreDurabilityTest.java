package org.radloop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database acknowledges nothing that is not on disk: H2 writes a commit to its file but
 * never syncs it, so the Store syncs the file after every transaction that wrote, before the
 * transaction returns to the code that will acknowledge it. The real fdatasync runs underneath; the
 * test only watches when, and on which file, it is called.
 */
class StoreDurabilityTest {

    @TempDir
    Path data;

    /** The real fdatasync, noting for each call the file and whether the caller's commit was visible then. */
    private final class WatchedFsync implements GroupFsync.Fsync {
        final List<Path> synced = new CopyOnWriteArrayList<>();
        final List<Boolean> committedBeforeSync = new CopyOnWriteArrayList<>();
        final AtomicBoolean transactionReturned = new AtomicBoolean();
        final List<Boolean> returnedBeforeSync = new CopyOnWriteArrayList<>();
        volatile boolean fail;
        volatile String watchedKind;

        @Override
        public void sync(Path path) throws IOException {
            synced.add(path);
            returnedBeforeSync.add(transactionReturned.get());
            if (watchedKind != null) committedBeforeSync.add(visibleToAnotherConnection(watchedKind));
            if (fail) throw new IOException("disk gone");
            GroupFsync.fdatasync(path);
        }
    }

    private boolean visibleToAnotherConnection(String kind) {
        try (Connection c = DriverManager.getConnection(Store.embeddedUrl(data), "sa", "");
             ResultSet r = c.createStatement().executeQuery("select count(*) from stage_outbox where kind = '" + kind + "'")) {
            r.next();
            return r.getInt(1) == 1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Store open(WatchedFsync fsync) {
        return Store.open(Store.embeddedUrl(data), "sa", "", 4, fsync);
    }

    @Test
    void aWritingTransactionReturnsOnlyAfterTheDatabaseFileIsSyncedAfterItsCommit() {
        WatchedFsync fsync = new WatchedFsync();
        try (Store store = open(fsync)) {
            fsync.synced.clear(); // the migrations' own commits
            fsync.watchedKind = "durability-probe";
            store.inTransaction(s -> s.persist(new StageOutboxEntry("radloop.ingest", "durability-probe", 1L, null, "created", 4)));
            fsync.transactionReturned.set(true);

            Path file = data.resolve("db/radloop.mv.db").toAbsolutePath();
            assertThat(Files.isRegularFile(file)).isTrue();
            assertThat(fsync.synced).containsExactly(file);
            assertThat(fsync.committedBeforeSync).as("synced after the commit, not before").containsExactly(true);
            assertThat(fsync.returnedBeforeSync).as("synced before the transaction returned").containsExactly(false);
        }
    }

    @Test
    void aTransactionThatOnlyReadsDoesNotWaitForTheDisk() {
        WatchedFsync fsync = new WatchedFsync();
        try (Store store = open(fsync)) {
            store.inTransaction(s -> s.persist(new StageOutboxEntry("radloop.ingest", "read-probe", 1L, null, "created", 4)));
            fsync.synced.clear();
            long rows = store.fromTransaction(s -> s.createSelectionQuery("select count(e) from StageOutboxEntry e", Long.class).getSingleResult());
            assertThat(rows).isEqualTo(1);
            assertThat(fsync.synced).isEmpty();
        }
    }

    @Test
    void workThatOnlyRepeatsIfLostIsCommittedWithoutWaitingForTheDisk() {
        WatchedFsync fsync = new WatchedFsync();
        try (Store store = open(fsync)) {
            store.inTransaction(s -> s.persist(new StageOutboxEntry("radloop.ingest", "repeatable-probe", 1L, null, "created", 4)));
            fsync.synced.clear();
            store.inTransactionRepeatable(s -> s.createMutationQuery("delete from StageOutboxEntry e where e.kind = 'repeatable-probe'").executeUpdate());
            assertThat(fsync.synced).isEmpty();
            long left = store.fromTransaction(s -> s.createSelectionQuery("select count(e) from StageOutboxEntry e", Long.class).getSingleResult());
            assertThat(left).as("committed all the same").isZero();
        }
    }

    @Test
    void aFailedSyncIsAnErrorForTheCallerSoNothingIsAcknowledged() {
        WatchedFsync fsync = new WatchedFsync();
        try (Store store = open(fsync)) {
            fsync.fail = true;
            assertThatThrownBy(() -> store.inTransaction(s -> s.persist(new StageOutboxEntry("radloop.ingest", "lost", 1L, null, "created", 4))))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("durable");
        }
    }

    @Test
    void onlyAnEmbeddedFileDatabaseHasAFileToSync() {
        assertThat(Store.embeddedFile("jdbc:h2:file:/var/radloop/db/radloop;WRITE_DELAY=0"))
                .isEqualTo(Path.of("/var/radloop/db/radloop.mv.db"));
        assertThat(Store.embeddedFile("jdbc:h2:/srv/r/db")).isEqualTo(Path.of("/srv/r/db.mv.db"));
        assertThat(Store.embeddedFile("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isNull();
        assertThat(Store.embeddedFile("jdbc:h2:tcp://db-host/radloop")).isNull();
        assertThat(Store.embeddedFile("jdbc:postgresql://127.0.0.1:5432/test")).isNull();
    }
}
