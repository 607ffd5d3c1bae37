package org.radloop.reporting;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hibernate.Session;
import org.radloop.delivery.ReportForDelivery;
import org.radloop.delivery.ReportSource;
import org.radloop.model.AiFinding;
import org.radloop.model.FindingReview;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Patient;
import org.radloop.model.QcResultRecord;
import org.radloop.model.ReadingCase;
import org.radloop.model.Report;
import org.radloop.model.ReportVersion;
import org.radloop.model.Store;
import org.radloop.model.Study;

/**
 * The delivery stage's view of the report entities (bean {@code reportSource}): the latest version
 * that QC released (approved, or a block overridden), with its order, patient and study. A report
 * QC has not released is not there, so nothing unchecked ever leaves.
 *
 * <p>Status CORRECTED once the report has an addendum; {@code version} counts the released versions
 * (1 for the first, 2.. for each correction), which is what the forms print.
 */
public final class DeliverableReports implements ReportSource {

    /** The coding system of AI finding codes: the models' own codes, not SNOMED CT. */
    public static final String FINDING_CODE_SYSTEM = "urn:radloop:ai-finding-code";

    private final Store store;
    /** The signing radiologist's display name from the roster (null when unknown). */
    private final Function<String, String> radiologistName;

    public DeliverableReports(Store store, Function<String, String> radiologistName) {
        this.store = store;
        this.radiologistName = radiologistName;
    }

    @Override
    public Optional<ReportForDelivery> find(String reportId) {
        long id;
        try {
            id = Long.parseLong(reportId.trim());
        } catch (NumberFormatException | NullPointerException e) {
            return Optional.empty();
        }
        return store.fromTransaction(s -> Optional.ofNullable(build(s, id)));
    }

    private ReportForDelivery build(Session s, long reportId) {
        Report r = s.find(Report.class, reportId);
        if (r == null) return null;
        List<QcResultRecord> released = s.createSelectionQuery(
                        "from QcResultRecord where reportId = :r and state in (:ok) order by reportVersion", QcResultRecord.class)
                .setParameter("r", reportId).setParameter("ok", List.of(QcResultRecord.State.APPROVED, QcResultRecord.State.OVERRIDDEN))
                .list();
        if (released.isEmpty()) return null;
        int version = released.get(released.size() - 1).getReportVersion();
        ReportVersion v = SignedReports.version(s, reportId, version);
        boolean corrected = !s.createSelectionQuery("select id from ReportVersion where reportId = :r and version <= :v and kind = :k",
                Long.class).setParameter("r", reportId).setParameter("v", version).setParameter("k", ReportVersion.ADDENDUM)
                .setMaxResults(1).list().isEmpty();

        ReadingCase c = s.find(ReadingCase.class, r.getCaseId());
        ImagingOrder o = c == null || c.getOrderId() == null ? null : s.find(ImagingOrder.class, c.getOrderId());
        Patient p = c == null || c.getPatientId() == null ? null : s.find(Patient.class, c.getPatientId());
        Study study = c == null || c.getStudyId() == null ? null : s.find(Study.class, c.getStudyId());

        Map<String, String> sections = new LinkedHashMap<>();
        String impression = null;
        Map<String, StringBuilder> findings = new LinkedHashMap<>();
        for (Section x : ReportText.read(v.getSections())) {
            String text = x.text() == null ? "" : x.text().trim();
            if (x.id().equals("impression")) {
                impression = text;
            } else if (x.id().contains(".")) {
                // Organ sections go out as one Findings section, each organ on its own line.
                StringBuilder b = findings.computeIfAbsent(x.group(), g -> {
                    sections.put(title(g), "");
                    return new StringBuilder();
                });
                if (!b.isEmpty()) b.append('\n');
                b.append(x.title()).append(": ").append(text);
                sections.put(title(x.group()), b.toString());
            } else if (!text.isEmpty()) {
                sections.put(x.title(), text);
            }
        }

        String signer = ReportVersion.ADDENDUM.equals(v.getKind()) ? v.getAuthor() : r.getSignedBy();
        Instant signedAt = ReportVersion.ADDENDUM.equals(v.getKind()) ? v.getCreatedAt()
                : r.getSignedAt() != null ? r.getSignedAt() : v.getCreatedAt();
        List<AiFinding> ai = c == null ? List.of() : DraftWriter.findings(s, c).stream().filter(AiFinding::isPositive).toList();
        Map<Long, FindingReview> reviews = new LinkedHashMap<>();
        for (FindingReview f : s.createSelectionQuery("from FindingReview where reportId = :r", FindingReview.class)
                .setParameter("r", reportId).list()) {
            reviews.put(f.getAiFindingId(), f);
        }
        List<ReportForDelivery.Finding> coded = new ArrayList<>();
        for (AiFinding f : ai) {
            FindingReview review = reviews.get(f.getId());
            if (f.getFindingCode() == null || review == null) continue;
            coded.add(new ReportForDelivery.Finding(f.getFindingCode(), FINDING_CODE_SYSTEM,
                    f.getFindingText() != null ? f.getFindingText() : f.getLabel(), FindingReview.CONFIRMED.equals(review.getVerdict())));
        }
        return new ReportForDelivery(String.valueOf(reportId), released.size(),
                corrected ? ReportForDelivery.Status.CORRECTED : ReportForDelivery.Status.FINAL, r.getFacilityId(),
                order(o, r, study), patient(p), r.getStudyUid(), sections, impression,
                person(signer, radiologistName.apply(signer)), signedAt, disclosure(ai, reviews), coded);
    }

    private static String title(String group) {
        return group.isEmpty() ? group : Character.toUpperCase(group.charAt(0)) + group.substring(1);
    }

    /** Said whenever AI findings were shown to the radiologist: which models, and what the radiologist did. */
    static String disclosure(List<AiFinding> ai, Map<Long, FindingReview> reviews) {
        if (ai.isEmpty()) return null;
        Set<String> models = new LinkedHashSet<>();
        int confirmed = 0;
        int rejected = 0;
        for (AiFinding f : ai) {
            models.add(f.getModelId() + " " + f.getModelVersion());
            FindingReview r = reviews.get(f.getId());
            if (r == null) continue;
            if (FindingReview.CONFIRMED.equals(r.getVerdict())) confirmed++;
            else rejected++;
        }
        return "AI assistance: the draft of this report included findings of " + String.join(", ", models)
                + "; the signing radiologist reviewed them (" + confirmed + " confirmed, " + rejected + " rejected).";
    }

    private static ReportForDelivery.Order order(ImagingOrder o, Report r, Study study) {
        Instant examAt = examAt(study);
        if (o == null) return new ReportForDelivery.Order(null, null, r.getAccessionNumber(), null, null, null, null, examAt);
        return new ReportForDelivery.Order(o.getPlacerOrderNumber(), o.getFillerOrderNumber(),
                o.getAccessionNumber() != null ? o.getAccessionNumber() : r.getAccessionNumber(), o.getProcedureCode(),
                o.getProcedureText(), null, provider(o.getOrderingProvider()), examAt != null ? examAt : o.getScheduledAt());
    }

    /** The study's date and time (DICOM, no zone given: read as UTC). */
    private static Instant examAt(Study study) {
        if (study == null || study.getStudyDate() == null) return null;
        LocalTime time = LocalTime.MIDNIGHT;
        String t = study.getStudyTime();
        if (t != null && t.length() >= 4) {
            try {
                time = LocalTime.parse(t.length() >= 6 ? t.substring(0, 6) : t.substring(0, 4) + "00", DateTimeFormatter.ofPattern("HHmmss"));
            } catch (DateTimeParseException e) {
                time = LocalTime.MIDNIGHT;
            }
        }
        return study.getStudyDate().atTime(time).toInstant(ZoneOffset.UTC);
    }

    /** The ordering provider as ingest stores it: "Family, Given [ID]", or the bare id. */
    static ReportForDelivery.Person provider(String stored) {
        if (stored == null || stored.isBlank()) return null;
        String p = stored.trim();
        String id = org.radloop.delivery.CriticalResult.clinicianId(p);
        int open = p.lastIndexOf('[');
        String name = open >= 0 && p.endsWith("]") ? p.substring(0, open).trim() : (id == null ? p : "");
        String family = name;
        String given = null;
        int comma = name.indexOf(',');
        if (comma >= 0) {
            family = name.substring(0, comma).trim();
            given = name.substring(comma + 1).trim();
        }
        return new ReportForDelivery.Person(id, family.isEmpty() ? null : family, given == null || given.isEmpty() ? null : given);
    }

    private static ReportForDelivery.Patient patient(Patient p) {
        if (p == null) return new ReportForDelivery.Patient(null, null, null, null, null, null);
        return new ReportForDelivery.Patient(p.getIdentifier(), p.getAssigningAuthority(), p.getFamilyName(), p.getGivenName(),
                p.getBirthDate(), p.getSex());
    }

    private static ReportForDelivery.Person person(String id, String name) {
        if (name == null || name.isBlank()) return new ReportForDelivery.Person(id, id, null);
        String n = name.trim();
        int space = n.lastIndexOf(' ');
        return space < 0 ? new ReportForDelivery.Person(id, n, null)
                : new ReportForDelivery.Person(id, n.substring(space + 1), n.substring(0, space));
    }
}
