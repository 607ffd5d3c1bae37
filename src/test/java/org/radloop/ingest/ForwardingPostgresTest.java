package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.model.ForwardingTask;
import org.radloop.support.TestDatabases;
import org.radloop.support.TestEngine;

/**
 * Forwarding on PostgreSQL (claiming due tasks with row locks, recording outcomes), to dcmtk's
 * storescp as the PACS: while nothing listens the tasks retry with backoff, and once storescp is up
 * every instance arrives there.
 */
class ForwardingPostgresTest {

    @TempDir
    static Path folder;

    static String url;
    static Properties settings;
    static RadLoopEngine engine;
    static Process pacs;
    static int pacsPort;

    @BeforeAll
    static void start() throws Exception {
        url = TestDatabases.freshPostgresSchema();
        settings = PacsPeers.settings(folder, 100);
        settings.setProperty("radloop.db.url", url);
        pacsPort = TestEngine.freePort();
        PacsPeers.writeFacility(settings, "pg-fwd", "PG_CT", "STORESCP", pacsPort, true, false, 0);
        engine = TestEngine.start(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        if (pacs != null) {
            pacs.destroy();
            pacs.waitFor(10, TimeUnit.SECONDS);
        }
        TestDatabases.dropSchemaOf(url);
    }

    @Test
    void tasksRetryWhileThePacsIsDownAndEveryInstanceArrivesOnceItListens() throws Exception {
        ScpStandIn scp = new ScpStandIn(engine);
        var b = new DicomSamples.StudyBuilder(folder.resolve("made")).accession("PG-1").patient("MRN-PG-1", "Post^Gres", "O", "19991231");
        String series = DicomSamples.uid();
        Set<String> sops = new HashSet<>();
        for (int i = 1; i <= 4; i++) {
            Path f = b.instance(DicomSamples.CT, series, i);
            scp.storeOk(f, "PG_CT");
            sops.add(PacsPeers.sopUid(f));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> tasks().size() == 4 && tasks().stream().allMatch(t -> t.getAttempts() >= 2));
        // Between attempts (PENDING) or in one (SENDING), never SENT, each with the reason of its last failure.
        assertThat(tasks()).allMatch(t -> t.getState() != ForwardingTask.State.SENT && t.getState() != ForwardingTask.State.FAILED
                && t.getLastError() != null && t.getLastError().contains("Connection refused"));

        Path received = Files.createDirectories(folder.resolve("storescp"));
        pacs = new ProcessBuilder("storescp", "-aet", "STORESCP", "--output-directory", received.toString(), Integer.toString(pacsPort))
                .redirectErrorStream(true).redirectOutput(folder.resolve("storescp.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> tasks().stream().allMatch(t -> t.getState() == ForwardingTask.State.SENT));
        assertThat(receivedSops(received)).containsExactlyInAnyOrderElementsOf(sops);
    }

    static List<ForwardingTask> tasks() {
        return engine.store().fromTransaction(s -> s.createSelectionQuery("from ForwardingTask where facilityId = 'pg-fwd' order by id",
                ForwardingTask.class).getResultList());
    }

    static List<String> receivedSops(Path dir) throws Exception {
        List<String> sops = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw e;
        }
        for (Path f : files) sops.add(PacsPeers.sopUid(f));
        return sops;
    }
}
