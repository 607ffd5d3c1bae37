package org.radloop.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.radloop.config.RadLoopSettings;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.ingest.MutableClock;
import org.radloop.model.AiFinding;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Patient;
import org.radloop.model.ReadingCase;
import org.radloop.model.Study;
import org.radloop.model.TriageRecord;
import org.radloop.support.TestEngine;

/**
 * A real engine for the route and report tests: the project's code, a copy of conf/ with a test
 * roster, the route, report, improve and HL7 ingest routes (no triage, no QC consumer, so the tests read
 * those queues themselves), and a clock the test moves. The periodic sweep is off; tests run it.
 *
 * <p>State arrives as the triage stage leaves it: patient, order, study, a triage decision with its
 * AI findings in the store, and a {@code study/triaged} message on radloop.route with its priority.
 */
public final class RoutingEngines {

    /** Monday 2 March 2026, 10:00 in London (GMT). */
    public static final Instant MONDAY_10 = Instant.parse("2026-03-02T10:00:00Z");

    /**
     * The test roster: everyone reads at St Mary's (GB-ENG) around the clock except where said.
     * neuro-a: neuro, 3 cases. neuro-b: neuro, 3 cases. gen-c: general + body + chest. us-only: neuro,
     * licensed in US-NY only. weekend: neuro, Saturdays only. tiny: neuro, one case at a time.
     */
    public static final String ROSTER = """
            policy:
              generalCoverAfterMinutes: {critical: 0, urgent: 30, routine: 120}
              openWithinMinutes: {critical: 5, urgent: 30, routine: 240}
              onCallAnswerWithinMinutes: 10
              onCall:
                - {radiologist: neuro-a, name: Neuro A, email: neuro-a@oncall.example, pager: "+447700900401"}
                - {name: Duty consultant, email: duty-consultant@oncall.example}
            radiologists:
              - {id: neuro-a, name: Neuro A, subspecialties: [neuro], privileges: [st-marys], licences: [GB-ENG],
                 timeZone: Europe/London, shifts: [{days: [MON, TUE, WED, THU, FRI, SAT, SUN], start: "00:00", end: "24:00"}],
                 maxOpenCases: 3, rvuPerHour: 9}
              - {id: neuro-b, name: Neuro B, subspecialties: [neuro], privileges: [st-marys], licences: [GB-ENG],
                 timeZone: Europe/London, shifts: [{days: [MON, TUE, WED, THU, FRI, SAT, SUN], start: "00:00", end: "24:00"}],
                 maxOpenCases: 3, rvuPerHour: 9}
              - {id: gen-c, name: General C, subspecialties: [general, body, chest], privileges: [st-marys], licences: [GB-ENG],
                 timeZone: Europe/London, shifts: [{days: [MON, TUE, WED, THU, FRI, SAT, SUN], start: "00:00", end: "24:00"}],
                 maxOpenCases: 10, rvuPerHour: 10}
              - {id: us-only, name: US Only, subspecialties: [neuro], privileges: [st-marys], licences: [US-NY],
                 timeZone: Europe/London, shifts: [{days: [MON, TUE, WED, THU, FRI, SAT, SUN], start: "00:00", end: "24:00"}],
                 maxOpenCases: 10, rvuPerHour: 20}
              - {id: weekend, name: Weekend Only, subspecialties: [neuro], privileges: [st-marys], licences: [GB-ENG],
                 timeZone: Europe/London, shifts: [{days: [SAT], start: "08:00", end: "20:00"}],
                 maxOpenCases: 10, rvuPerHour: 20}
            """;

    private RoutingEngines() {
    }

    public static Properties settings(Path folder, String roster) throws IOException {
        Properties p = TestEngine.settings(folder.resolve("data"));
        Path routes = Files.createDirectories(folder.resolve("routes"));
        for (String r : List.of("routing.yaml", "reporting.yaml", "ingest-hl7.yaml", "improve.yaml")) {
            Files.copy(TestEngine.projectHome().resolve("routes").resolve(r), routes.resolve(r), StandardCopyOption.REPLACE_EXISTING);
        }
        p.setProperty("radloop.routes.dir", routes.toString());
        Path conf = folder.resolve("conf");
        TestEngine.copyTree(TestEngine.projectHome().resolve("conf"), conf);
        Files.writeString(conf.resolve("radiologists.yaml"), roster);
        p.setProperty("radloop.conf.dir", conf.toString());
        p.setProperty("radloop.routing.sweep.ms", "3600000");
        return p;
    }

    public static RadLoopEngine start(Properties settings, MutableClock clock) throws Exception {
        return new RadLoopEngine(RadLoopSettings.of(TestEngine.projectHome(), settings)).clock(clock).start();
    }

    /** A finding the triage stage recorded: label, code, text, probability, severity, slices. */
    public record Finding(String modelId, String label, String code, String text, double probability, Integer severity, String slices) {
    }

    /**
     * Puts a triaged study in the store as the earlier stages leave it and sends its triage message.
     *
     * @param procedureId a procedure of mappings/procedures.yaml (gives subspecialty, template, RVU)
     * @return the study UID
     */
    public static String triaged(RadLoopEngine engine, MutableClock clock, String mrn, String accession, String procedureId,
                                 String modality, String bodyPart, String urgency, int jmsPriority, List<Finding> findings) {
        String uid = "1.2.826.0.1.3680043.10.999." + System.nanoTime();
        Instant now = clock.instant();
        engine.store().inTransaction(s -> {
            Patient patient = s.createQuery("from Patient where facilityId = 'st-marys' and identifier = :i", Patient.class)
                    .setParameter("i", mrn).uniqueResult();
            if (patient == null) {
                patient = new Patient("st-marys", mrn, "STMARYS");
                patient.updateDemographics("Test", "Pat", null, "F");
                s.persist(patient);
            }
            ImagingOrder order = new ImagingOrder("st-marys", patient.getId(), "P-" + accession);
            order.setAccessionNumber(accession);
            order.setProcedure("X" + procedureId, procedureId);
            var proc = procedures(engine).byId(procedureId).orElseThrow();
            order.mapProcedure(procedureId, modality, bodyPart, null, proc.subspecialty(), proc.template());
            order.setReasonForExam("Sudden severe headache, ?bleed");
            order.setOrderingProvider("House, Gregory [1234]");
            order.setPriority(jmsPriority >= 9 ? ImagingOrder.Priority.STAT : ImagingOrder.Priority.ROUTINE);
            s.persist(order);
            Study study = new Study("st-marys", uid, now);
            study.describe(accession, mrn, "TEST^PAT", "F", null, java.time.LocalDate.of(2026, 3, 2), "095500", procedureId);
            study.addModality(modality);
            study.noteBodyPart(bodyPart);
            study.matchOrder(order.getId(), patient.getId(), now);
            study.complete(now);
            s.persist(study);
            TriageRecord t = new TriageRecord("st-marys", uid, urgency, jmsPriority * 10.0, jmsPriority, 0, 0, 0, 0,
                    now.plusSeconds(urgency.equals("CRITICAL") ? 3600 : urgency.equals("URGENT") ? 4 * 3600 : 48 * 3600), false,
                    "[]", now);
            s.persist(t);
            s.flush();
            for (Finding f : findings) {
                s.persist(new AiFinding(t.getId(), uid, null, f.modelId(), "1.0.0", f.label(), f.probability(), 0.5,
                        f.code() != null, f.code(), f.text(), f.severity(), f.slices(), 1, 1, 1, 3));
            }
        });
        engine.camel().createProducerTemplate().sendBodyAndHeader(Stage.ROUTE.endpoint(),
                new StageMessage("study", uid, "st-marys", "triaged").toJson(), "JMSPriority", jmsPriority);
        return uid;
    }

    static ProcedureCatalogue procedures(RadLoopEngine engine) {
        return new ProcedureCatalogue(engine.settings().mappingsDir().resolve("procedures.yaml"),
                new org.radloop.config.SchemaValidator(engine.settings().confDir().resolve("schemas")));
    }

    public static ReadingCase caseOf(RadLoopEngine engine, String studyUid) {
        return engine.store().fromTransaction(s -> s.createQuery("from ReadingCase where studyUid = :u", ReadingCase.class)
                .setParameter("u", studyUid).uniqueResult());
    }
}
