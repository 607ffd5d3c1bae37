package org.radloop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.radloop.config.RadLoopSettings;
import org.radloop.dicom.DicomComponent;
import org.radloop.engine.RadLoopEngine;
import org.radloop.triage.demo.DemoModelBuilder;

/**
 * {@code radloop demo}: the whole loop on one machine. A real engine on embedded defaults in a
 * demo data folder, three simulated facilities on loopback (RIS over MLLP both ways, modalities
 * over DICOM), simulated radiologists and clinicians through the HTTP API, then retraining of the
 * deliberately weak demonstration models on what the radiologists taught, and a summary (text and
 * HTML) of what was measured.
 */
public final class DemoRun {

    /** What the caller asks for. {@code studies} 0 with {@code minutes} > 0: send studies until the minutes are up. */
    public record Options(int studies, double minutes, Path dataDir, long millisPerSimulatedMinute, int weakTrainCases,
                          boolean awaitEscalation) {
    }

    private final Path projectHome;
    private final Options options;
    private final PrintStream out;
    private final Map<String, DemoStudy> byAccession = new ConcurrentHashMap<>();
    private final List<DemoStudy> studies = new ArrayList<>();

    public DemoRun(Path projectHome, Options options, PrintStream out) {
        this.projectHome = projectHome.toAbsolutePath().normalize();
        this.options = options;
        this.out = out;
    }

    static final List<DemoReader> READERS = List.of(
            new DemoReader("dr-neuro-demo", "Dr Nadia Osei (simulated neuroradiologist)", List.of("neuro", "general"), 6, 3),
            new DemoReader("dr-chest-demo", "Dr Lars Berg (simulated chest radiologist)", List.of("chest", "body", "general"), 7, 2.5),
            new DemoReader("dr-telerad-demo", "Dr Mei Tanaka (simulated teleradiologist)", List.of("neuro", "chest"), 8, 3.5));

    public DemoSummary run() throws Exception {
        Path data = options.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(data);
        // The simulated peers are closed however the demo ends, also when the engine fails to start.
        List<AutoCloseable> peers = new ArrayList<>();
        try {
            return run(data, peers);
        } finally {
            for (AutoCloseable peer : peers) {
                try {
                    peer.close();
                } catch (Exception ignored) {
                    // closing: nothing left to do
                }
            }
        }
    }

    private DemoSummary run(Path data, List<AutoCloseable> peers) throws Exception {
        // Each simulated RIS listens before anything else runs, on a port it holds from then on.
        List<SimulatedRis> ris = new ArrayList<>();
        ris.add(listeningRis(peers, port -> new DemoFacility("demo-hospital", "Riverside General Hospital (simulated)", "hospital",
                "RIVRIS", "RIVERSIDE", "RGH_CT1", "RGH_CR1", port)));
        ris.add(listeningRis(peers, port -> new DemoFacility("demo-imaging-chain", "ClearView Diagnostic Centres (simulated chain)",
                "diagnostic-centre chain", "CVRIS", "CLEARVIEW", "CVD_CT1", "CVD_CR1", port)));
        ris.add(listeningRis(peers, port -> new DemoFacility("demo-telerad-client", "Lakeside Clinic (simulated teleradiology client)",
                "teleradiology client", "LKRIS", "LAKESIDE", "LKC_CT1", "LKC_CR1", port)));
        List<DemoFacility> facilities = ris.stream().map(SimulatedRis::facility).toList();
        out.println("RadLoop demo: data folder " + data);
        out.println("Building the deliberately weak demonstration models (" + options.weakTrainCases() + " phantom cases, 1 epoch) ...");
        DemoPagerGateway pager = new DemoPagerGateway();
        peers.add(pager);
        Path conf = DemoConf.write(projectHome, data, facilities, READERS, options.weakTrainCases(), pager.url(),
                options.millisPerSimulatedMinute());

        // The project's defaults, then the demo's own: embedded H2 and Artemis whatever the environment says.
        Properties p = new Properties();
        Path defaults = projectHome.resolve("conf/radloop.properties");
        if (Files.isRegularFile(defaults)) {
            try (var in = Files.newBufferedReader(defaults)) {
                p.load(in);
            }
        }
        p.setProperty("radloop.db.url", "");
        p.setProperty("radloop.broker.url", "");
        p.setProperty("radloop.data.dir", data.toString());
        p.setProperty("radloop.conf.dir", conf.toString());
        p.setProperty("radloop.hl7.host", "127.0.0.1");
        p.setProperty("radloop.hl7.port", Integer.toString(freePort()));
        p.setProperty("radloop.http.host", "127.0.0.1");
        p.setProperty("radloop.http.port", Integer.toString(freePort()));
        p.setProperty("radloop.dicom.port", Integer.toString(freePort()));
        p.setProperty("radloop.api.token", "demo-" + Long.toHexString(Double.doubleToLongBits(Math.random())));
        p.setProperty("radloop.config.reload.interval.ms", "1000");
        p.setProperty("radloop.queue.redelivery.delay.ms", "200");
        p.setProperty("radloop.critical.sweep.ms", "500");
        // The demo retrains on demand at the end, so that the before/after numbers are of one run.
        p.setProperty("radloop.learning.tick.ms", "3600000");
        RadLoopSettings settings = RadLoopSettings.of(projectHome, p);
        String token = p.getProperty("radloop.api.token");
        String api = "http://127.0.0.1:" + p.getProperty("radloop.http.port");
        DemoClock clock = new DemoClock(options.millisPerSimulatedMinute());

        List<Thread> threads = new ArrayList<>();
        List<SimulatedRadiologist> readers = new ArrayList<>();
        SimulatedClinicians clinicians;
        DemoProgress progress;
        Instant started = Instant.now();
        try (RadLoopEngine engine = new RadLoopEngine(settings).start();
             DefaultCamelContext scu = new DefaultCamelContext()) {
            scu.addComponent("dicom", new DicomComponent());
            scu.start();
            ProducerTemplate producer = scu.createProducerTemplate();
            SimulatedModality modality = new SimulatedModality(producer, "127.0.0.1",
                    Integer.parseInt(p.getProperty("radloop.dicom.port")), settings.get("radloop.dicom.aet", "RADLOOP"),
                    data.resolve("demo-modalities"));
            DemoApi http = new DemoApi(api, token);
            boolean deliveryWired = DemoProgress.deliveryWired(engine);
            out.println("Engine up: API " + api + ", HL7 port " + p.getProperty("radloop.hl7.port") + ", DICOM port "
                    + p.getProperty("radloop.dicom.port") + ". Delivery to the facilities' RIS is "
                    + (deliveryWired ? "wired (radloop.qc -> QC -> radloop.deliver)." : "NOT wired on this build (no consumer of radloop.qc): reports are signed but not delivered."));
            out.println("Time: 1 simulated minute of reading = " + options.millisPerSimulatedMinute() + " ms real.");

            int seed = 0;
            for (DemoReader r : READERS) readers.add(new SimulatedRadiologist(r, http, byAccession::get, clock, 100 + seed++));
            clinicians = new SimulatedClinicians(http, clock);
            threads.add(start(clinicians, "demo-clinicians"));
            progress = new DemoProgress(engine, studies, ris, clinicians, out, deliveryWired);
            Thread progressThread = start(progress, "demo-progress");

            // The facilities' day: orders and their studies arrive one after another, faster than
            // three radiologists read, so that a queue forms and the order of reading matters.
            long gapMs = Math.max(50, options.millisPerSimulatedMinute() / 2);
            Instant sendUntil = options.minutes() > 0 ? started.plusMillis((long) (options.minutes() * 60_000)) : null;
            for (int i = 0; options.studies() > 0 ? i < options.studies() : Instant.now().isBefore(sendUntil); i++) {
                if (sendUntil != null && Instant.now().isAfter(sendUntil)) break;
                DemoStudy s = plan(i, facilities);
                SimulatedRis facilityRis = ris.get(i % ris.size());
                synchronized (studies) {
                    studies.add(s);
                }
                byAccession.put(s.accession(), s);
                s.sentAt = Instant.now();
                String ack = facilityRis.sendOrder("127.0.0.1", Integer.parseInt(p.getProperty("radloop.hl7.port")), s);
                if (!"AA".equals(ack) && !"CA".equals(ack)) throw new IllegalStateException("order " + s.accession() + " answered " + ack);
                s.studyUid = modality.send(s);
                Thread.sleep(gapMs);
                // The morning list: with --studies, the radiologists log in once every study has arrived (the
                // night's work waiting at the start of the shift); with --minutes, after the first quarter of
                // the time, and new studies keep arriving while they read. Either way the worklists hold
                // work for RadLoop to put in order.
                boolean loginTime = options.studies() <= 0
                        && Instant.now().isAfter(started.plusMillis((long) (options.minutes() * 15_000)));
                if (loginTime && threads.size() == 1) startReaders(readers, threads, progress);
            }
            if (threads.size() == 1) startReaders(readers, threads, progress);

            // Wait for every study to be signed (and delivered, when delivery is wired).
            long waitMs = 60_000 + studies.size() * (options.millisPerSimulatedMinute() * 12L);
            Instant deadline = Instant.now().plusMillis(waitMs);
            while (Instant.now().isBefore(deadline) && !progress.allDone()) Thread.sleep(200);
            // A few more seconds for the clinicians and the escalation to show on open critical results.
            // Escalation runs on real minutes (the smallest deadline the configuration takes), so showing
            // it costs up to two real minutes at the end; the test does not wait for it.
            Instant settle = Instant.now().plusMillis(options.awaitEscalation() ? 150_000 : options.millisPerSimulatedMinute() * 30);
            while (Instant.now().isBefore(settle) && progress.criticalOpen() > 0) Thread.sleep(200);
            readers.forEach(SimulatedRadiologist::stop);
            clinicians.stop();
            progress.stop();
            for (Thread t : threads) t.join(5_000);
            progressThread.join(5_000);
            progress.printLine(true);

            DemoLearning.Result learning = new DemoLearning(engine, http, out).retrainAll(
                    List.of(DemoModelBuilder.CT_HEAD_BLEED, DemoModelBuilder.CHEST_PNEUMOTHORAX), studies);
            DemoSummary summary = DemoSummary.of(studies, progress.snapshot(), learning, deliveryWired, clock,
                    READERS.size(), Duration.between(started, Instant.now()), data);
            Files.writeString(data.resolve("demo-summary.txt"), summary.text());
            Files.writeString(data.resolve("demo-report.html"), DemoHtmlReport.html(summary));
            return summary;
        }
    }

    /**
     * The demo's case mix, deterministic: about three in five CT heads, the rest chest radiographs;
     * one in four abnormal (a bleed or a pneumothorax), most of those ordered STAT. Abnormal ones come
     * after some routine work has queued, so that overtaking shows.
     */
    static DemoStudy plan(int i, List<DemoFacility> facilities) {
        DemoStudy.Kind kind = (i % 5 == 1 || i % 5 == 3) ? DemoStudy.Kind.CHEST_XR : DemoStudy.Kind.CT_HEAD;
        boolean abnormal = i % 4 == 2 || i % 7 == 5;
        String priority = abnormal && i % 3 != 0 ? "S" : (i % 6 == 4 ? "A" : "R");
        return new DemoStudy(i + 1, facilities.get(i % facilities.size()), kind, abnormal, priority);
    }

    /**
     * Logs the radiologists in once the studies sent so far have completed and reached their
     * worklists (or after 60 s, should one never be assigned). A fixed pause was not enough on a
     * loaded machine: readers then started on the first cases before the critical ones had been
     * assigned, and the worklists held nothing for the critical cases to overtake.
     */
    private static void startReaders(List<SimulatedRadiologist> readers, List<Thread> threads, DemoProgress progress)
            throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            DemoProgress.Snapshot s = progress.snapshot();
            if (s.assigned() >= s.planned()) break;
            Thread.sleep(200);
        }
        Thread.sleep(500);
        for (SimulatedRadiologist r : readers) threads.add(start(r, "demo-" + r.id()));
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A facility's simulated RIS, listening: its port is chosen again if another process took it first. */
    private static SimulatedRis listeningRis(List<AutoCloseable> peers, java.util.function.IntFunction<DemoFacility> facility)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            SimulatedRis ris = new SimulatedRis(facility.apply(freePort()));
            if (ris.listening()) {
                peers.add(ris);
                return ris;
            }
            ris.close();
            if (attempt == 5) throw new IOException("no free port for a simulated RIS after 5 attempts");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Helper used by the summary: a JSON number or null. */
    static Double number(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asDouble();
    }
}
