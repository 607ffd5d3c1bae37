package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.radloop.ingest.Hl7Samples.orm;
import static org.radloop.ingest.MllpTestClient.field;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.model.MessageRecord;
import org.radloop.support.TestDatabases;
import org.radloop.support.TestEngine;

/** The same ingest on PostgreSQL, the production store: migrations, unique-key races and refusals behave alike. */
class Hl7IngestPostgresTest {

    @TempDir
    Path data;

    @Test
    void ordersDuplicatesRacesAndRefusalsOnPostgres() throws Exception {
        String url = TestDatabases.freshPostgresSchema();
        Properties p = TestEngine.settings(data);
        p.setProperty("radloop.db.url", url);
        try (RadLoopEngine engine = TestEngine.start(p)) {
            assertThat(engine.store().isPostgres()).isTrue();
            int port = Integer.parseInt(p.getProperty("radloop.hl7.port"));
            try (MllpTestClient c = new MllpTestClient("127.0.0.1", port)) {
                String msg = orm("PG1", "MRN-PG", "PPG1", "NW", "CTPA", "S");
                assertThat(field(c.send(msg), "MSA", 1)).isEqualTo("AA");
                assertThat(field(c.send(msg), "MSA", 1)).isEqualTo("AA");
                String bad = Hl7Samples.stMarysMsh("ORM^O01", "PG2") + Hl7Samples.pid("MRN-PG", "DOE^JANE", "19xx0101")
                        + Hl7Samples.order("NW", "PPG2", "CTPA", "R", "SC");
                String ack = c.send(bad);
                assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
                assertThat(field(ack, "ERR", 3)).startsWith("102^");
            }
            List<MessageRecord.State> states = engine.store().fromTransaction(s -> s.createSelectionQuery(
                    "select m.state from MessageRecord m where m.controlId in ('PG1', 'PG2') order by m.id", MessageRecord.State.class).getResultList());
            assertThat(states).containsExactly(MessageRecord.State.ACCEPTED, MessageRecord.State.DUPLICATE, MessageRecord.State.REJECTED);

            // four senders sharing patients: new-patient races end on the unique key and are retried
            int senders = 4;
            int each = 50;
            int acked = ParallelSenders.acceptedAcks("127.0.0.1", port, senders, each, (sender, i) -> {
                String id = "PGP-" + sender + "-" + i;
                return new ParallelSenders.Message(id, orm(id, "MRN-PGP" + (i % 5), "PGPP" + sender + "x" + i, "NW", "XRCH2V", "R"));
            });
            assertThat(acked).isEqualTo(senders * each);
            long orders = engine.store().fromTransaction(s -> s.createSelectionQuery(
                    "select count(o) from ImagingOrder o where o.placerOrderNumber like 'PGPP%'", Long.class).getSingleResult());
            assertThat(orders).isEqualTo(senders * each);
            long patients = engine.store().fromTransaction(s -> s.createSelectionQuery(
                    "select count(p) from Patient p where p.identifier like 'MRN-PGP%'", Long.class).getSingleResult());
            assertThat(patients).isEqualTo(5);
        } finally {
            TestDatabases.dropSchemaOf(url);
        }
    }
}
