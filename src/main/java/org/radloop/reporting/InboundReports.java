package org.radloop.reporting;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.Session;
import org.radloop.ingest.Hl7ResultSink;
import org.radloop.ingest.InboundResult;
import org.radloop.model.ReadingCase;
import org.radloop.model.Report;
import org.radloop.model.StageOutboxEntry;
import org.radloop.model.Store;

/**
 * Reports signed in the radiologist's own reporting system (ORU^R01 over MLLP, read by the HL7
 * stage): the OBX text becomes the final version of the case's report, OBR-32 its signer. Sections
 * come from OBX-3 (LOINC codes radiology systems use), unknown codes go to findings.
 *
 * <p>A result for an exam that already has a signed report becomes an addendum (a corrected result);
 * one for an accession RadLoop has no case for is refused with AE and kept for replay.
 */
public final class InboundReports implements Hl7ResultSink {

    /** OBX-3 codes to sections: LOINC for radiology report parts, and the short codes some RIS send. */
    private static final Map<String, String> SECTIONS = Map.ofEntries(
            Map.entry("55752-0", "history"), Map.entry("11329-0", "history"), Map.entry("HIST", "history"),
            Map.entry("55111-9", "technique"), Map.entry("TECH", "technique"),
            Map.entry("18834-2", "comparison"), Map.entry("COMP", "comparison"),
            Map.entry("18782-3", "findings"), Map.entry("59776-5", "findings"), Map.entry("GDT", "findings"),
            Map.entry("19005-8", "impression"), Map.entry("IMP", "impression"));
    private static final Map<String, String> TITLES = Map.of("history", "Clinical history", "technique", "Technique",
            "comparison", "Comparison", "findings", "Findings", "impression", "Impression");

    private final Store store;
    private final DraftWriter drafts;
    private final Clock clock;

    public InboundReports(Store store, DraftWriter drafts, Clock clock) {
        this.store = store;
        this.drafts = drafts;
        this.clock = clock;
    }

    @Override
    public String problem(String facilityId, InboundResult result) {
        return store.fromTransaction(s -> caseFor(s, facilityId, result) == null
                ? "no case in RadLoop has accession " + result.accession() + " at " + facilityId + "; the result is kept and can be replayed"
                : null);
    }

    @Override
    public List<StageOutboxEntry> accept(Session s, String facilityId, InboundResult result, String actor) {
        ReadingCase c = caseFor(s, facilityId, result);
        if (c == null) throw new IllegalStateException("no case for the result's accession");
        Report report = s.createSelectionQuery("from Report where caseId = :c", Report.class).setParameter("c", c.getId()).uniqueResult();
        if (report == null) {
            // Signed before the draft stage got to it: write the AI draft now, so that there is a version 0 to compare with.
            s.flush();
            drafts.draftIn(s, c.getId());
            report = s.createSelectionQuery("from Report where caseId = :c", Report.class).setParameter("c", c.getId()).uniqueResult();
        }
        String signer = result.signer();
        List<StageOutboxEntry> out = new ArrayList<>(1);
        if (report.getState() == Report.State.DRAFT) {
            out.addAll(SignedReports.sign(s, report, sections(result), signer, "hl7", clock.instant()));
        } else {
            out.addAll(SignedReports.addendum(s, report, ReportText.plain(null, sections(result)), signer, clock.instant()));
        }
        return out;
    }

    static List<Section> sections(InboundResult result) {
        Map<String, StringBuilder> texts = new java.util.LinkedHashMap<>();
        for (String id : TITLES.keySet()) texts.put(id, null);
        for (InboundResult.Observation o : result.observations()) {
            String id = o.code() == null ? "findings" : SECTIONS.getOrDefault(o.code().toUpperCase(Locale.ROOT), "findings");
            StringBuilder b = texts.get(id);
            if (b == null) texts.put(id, b = new StringBuilder());
            else b.append('\n');
            b.append(o.value());
        }
        List<Section> sections = new ArrayList<>();
        for (String id : List.of("history", "technique", "comparison", "findings", "impression")) {
            StringBuilder b = texts.get(id);
            if (b != null) sections.add(new Section(id, TITLES.get(id), b.toString(), "hl7"));
        }
        return sections;
    }

    private static ReadingCase caseFor(Session s, String facilityId, InboundResult r) {
        return s.createSelectionQuery("from ReadingCase where facilityId = :f and accessionNumber = :a order by id desc", ReadingCase.class)
                .setParameter("f", facilityId).setParameter("a", r.accession()).setMaxResults(1).uniqueResult();
    }
}
