package org.radloop.delivery;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.radloop.config.RadLoopSettings;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.model.Delivery;
import org.radloop.support.TestEngine;

/**
 * A real engine whose only facility is one the test writes (with delivery channels pointing at the
 * test's peers), a report source backed by reports the test builds, and synthetic reports.
 */
final class DeliveryFixture {

    static final String FACILITY = "riverside";

    /** What the reporting stage would hand over; the test adds reports before it announces them. */
    static final class Reports implements ReportSource {
        final Map<String, ReportForDelivery> byId = new ConcurrentHashMap<>();

        void add(ReportForDelivery r) {
            byId.put(r.reportId(), r);
        }

        @Override
        public Optional<ReportForDelivery> find(String reportId) {
            return Optional.ofNullable(byId.get(reportId));
        }
    }

    private DeliveryFixture() {
    }

    /** A conf folder with the project's schemas and one facility file, {@code riverside.yaml}. */
    static Path conf(Path dir, String deliveryYaml) throws IOException {
        Path schemas = Files.createDirectories(dir.resolve("schemas"));
        try (Stream<Path> s = Files.list(TestEngine.projectHome().resolve("conf/schemas"))) {
            for (Path p : s.toList()) Files.copy(p, schemas.resolve(p.getFileName()));
        }
        Path facilities = Files.createDirectories(dir.resolve("facilities"));
        Files.writeString(facilities.resolve(FACILITY + ".yaml"), """
                id: riverside
                name: Riverside Community Hospital (test)
                timeZone: Europe/London
                hl7:
                  sendingApplications: [RIVRIS]
                  sendingFacilities: [RIVERSIDE]
                  version: "2.5.1"
                dicom:
                  callingAeTitles: [RIV_CT]
                delivery:
                """ + deliveryYaml.indent(2));
        return dir;
    }

    static RadLoopEngine start(Path data, Path conf, Clock clock, Reports reports) throws Exception {
        Properties p = TestEngine.settings(data);
        p.setProperty("radloop.conf.dir", conf.toString());
        p.setProperty("radloop.delivery.sweep.ms", "200");
        RadLoopEngine engine = new RadLoopEngine(RadLoopSettings.of(TestEngine.projectHome(), p)).clock(clock).start();
        engine.camel().getRegistry().bind("reportSource", ReportSource.class, reports);
        return engine;
    }

    /** What the QC stage puts on radloop.deliver when it approves a report. */
    static void announce(RadLoopEngine engine, String reportId) {
        engine.camel().createProducerTemplate().sendBody(Stage.DELIVER.endpoint(),
                new StageMessage("report", reportId, FACILITY, "approved").toJson());
    }

    static List<Delivery> deliveries(RadLoopEngine engine, String reportId) {
        return engine.store().fromTransaction(s -> s.createQuery(
                "from Delivery where reportId = :r order by reportVersion, channel", Delivery.class)
                .setParameter("r", reportId).list());
    }

    static Delivery delivery(RadLoopEngine engine, String reportId, int version, String channel) {
        return engine.store().fromTransaction(s -> s.createQuery(
                "from Delivery where reportId = :r and reportVersion = :v and channel = :c", Delivery.class)
                .setParameter("r", reportId).setParameter("v", version).setParameter("c", channel).uniqueResult());
    }

    static Delivery awaitState(RadLoopEngine engine, String reportId, int version, String channel, Delivery.State state) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Delivery d = delivery(engine, reportId, version, channel);
                return d != null && d.getState() == state;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder sb = new StringBuilder("delivery of " + reportId + " v" + version + " on " + channel + " never became " + state + "; deliveries:");
            for (Delivery d : deliveries(engine, reportId)) {
                sb.append("\n  ").append(d.getChannel()).append(" v").append(d.getReportVersion()).append(' ').append(d.getState())
                        .append(" attempts=").append(d.getAttempts()).append(" error=").append(d.getLastError());
            }
            throw new AssertionError(sb.toString(), e);
        }
        return delivery(engine, reportId, version, channel);
    }

    /** A synthetic CT head report, final or corrected. */
    static ReportForDelivery report(String id, int version, ReportForDelivery.Status status, String studyUid) {
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("Clinical history", "Fall at home, on anticoagulants. Headache.");
        sections.put("Technique", "Non-contrast CT of the head, axial 5 mm with coronal and sagittal reformats.");
        sections.put("Findings", "There is a 12 mm acute subdural haematoma over the left frontoparietal convexity "
                + "with 3 mm midline shift to the right.\nNo skull fracture. The ventricles are normal in size."
                + (status == ReportForDelivery.Status.CORRECTED ? "\nCorrection: the haematoma measures 14 mm." : ""));
        return new ReportForDelivery(id, version, status, FACILITY,
                new ReportForDelivery.Order("PLC-" + id, "FIL-" + id, "ACC-" + id, "CTHEAD", "CT Head without contrast", "RIVCODES",
                        new ReportForDelivery.Person("D123", "Okafor", "Ngozi"), Instant.parse("2026-11-30T21:05:00Z")),
                new ReportForDelivery.Patient("MRN-" + id, "RIVERSIDE", "Testpatient", "Alex", LocalDate.of(1948, 3, 14), "F"),
                studyUid, sections,
                "Acute left subdural haematoma, 12 mm, with 3 mm midline shift. Neurosurgical review recommended.",
                new ReportForDelivery.Person("R77", "Lindqvist", "Maja"), Instant.parse("2026-11-30T21:42:00Z"),
                "An AI model (ct-head-bleed-demo 1.0) flagged this study for priority reading; the radiologist reviewed all images.",
                List.of(new ReportForDelivery.Finding("95453001", "http://snomed.info/sct", "Subdural haematoma", true),
                        new ReportForDelivery.Finding("71388002", "http://snomed.info/sct", "Skull fracture", false)));
    }
}
