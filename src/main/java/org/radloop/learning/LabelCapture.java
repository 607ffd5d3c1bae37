package org.radloop.learning;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hibernate.Session;
import org.radloop.model.AiFinding;
import org.radloop.model.AuditEvent;
import org.radloop.model.Instance;
import org.radloop.model.SliceNumbers;
import org.radloop.model.Store;
import org.radloop.model.TrainingLabel;
import org.radloop.model.TrainingLabel.Verdict;
import org.radloop.triage.DicomSlices;

/**
 * Turns a signed study into training labels: the reporting stage calls {@link #record(Signing)} when a
 * radiologist signs, with their verdict on each AI finding, the findings they added that the AI
 * missed, and the QC rules they overrode.
 *
 * <p>An AI finding that said "nothing seen" and got no verdict is taken as confirmed by the signature
 * (the radiologist signed a report without that finding) unless a missed finding of the same label
 * was added. A flagged finding without a verdict teaches nothing and is left out. Signing the same
 * report again (an addendum) replaces its labels, so capture is idempotent per report.
 */
public final class LabelCapture {

    /**
     * The radiologist's verdict on one stored AI finding ({@code ai_finding.id}); for a confirmed
     * finding, {@code slices} may say where it really is (instance numbers), when the radiologist
     * marked it; null keeps the slices that drove the AI's probability.
     */
    public record FindingVerdict(long aiFindingId, Verdict verdict, List<Integer> slices) {
        public FindingVerdict(long aiFindingId, Verdict verdict) {
            this(aiFindingId, verdict, null);
        }
    }

    /**
     * A finding the AI did not flag. {@code modelId} may be null (the label says which models it
     * teaches); empty {@code slices} means the whole series.
     */
    public record MissedFinding(String label, String seriesUid, List<Integer> slices, String modelId) {
    }

    /** A QC block the radiologist overrode: counted with the capture; the override itself stays in qc_result. */
    public record QcOverrideNote(String ruleId, String reason) {
    }

    /**
     * One signature. {@code seriesFiles} may give the DICOM files of a series; a series not in it is
     * looked up in the study index ({@code dicom_instance}).
     */
    public record Signing(String facilityId, String studyUid, String reportId, String radiologist,
                          List<FindingVerdict> verdicts, List<MissedFinding> missed, List<QcOverrideNote> qcOverrides,
                          Map<String, List<Path>> seriesFiles) {
        public Signing {
            verdicts = verdicts == null ? List.of() : verdicts;
            missed = missed == null ? List.of() : missed;
            qcOverrides = qcOverrides == null ? List.of() : qcOverrides;
            seriesFiles = seriesFiles == null ? Map.of() : seriesFiles;
        }
    }

    public record Captured(int labels, int qcOverrides) {
    }

    private final Store store;
    private final Clock clock;

    public LabelCapture(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Captured record(Signing signing) {
        Objects.requireNonNull(signing.reportId(), "reportId");
        Instant now = clock.instant();
        for (FindingVerdict v : signing.verdicts()) {
            if (v.verdict() == Verdict.ADDED_MISSED) {
                throw new IllegalArgumentException("AI finding " + v.aiFindingId()
                        + ": a verdict on an AI finding is CONFIRMED or REJECTED; a missed finding is a MissedFinding");
            }
        }
        return store.fromTransaction(s -> {
            s.createMutationQuery("delete from TrainingLabel where reportId = :r").setParameter("r", signing.reportId()).executeUpdate();
            SeriesFiles files = new SeriesFiles(s, signing);
            Map<Long, FindingVerdict> given = new LinkedHashMap<>();
            for (FindingVerdict v : signing.verdicts()) given.put(v.aiFindingId(), v);
            Set<String> missedLabels = new HashSet<>();
            for (MissedFinding m : signing.missed()) missedLabels.add(m.label());

            List<TrainingLabel> labels = new ArrayList<>();
            List<AiFinding> findings = latestFindings(s, signing.studyUid());
            for (AiFinding f : findings) {
                FindingVerdict said = given.remove(f.getId());
                Verdict v = said == null ? null : said.verdict();
                // Labels that never stand for a finding ("normal": no threshold) teach nothing on their own.
                if (v == null && f.getThreshold() == null) continue;
                if (v == null && !f.isPositive() && !missedLabels.contains(f.getLabel())) v = Verdict.CONFIRMED;
                if (v == null) continue;
                // A flagged finding confirmed is about its slices; a study-level "not there" is about the whole series.
                boolean wholeSeries = !(f.isPositive() && v == Verdict.CONFIRMED);
                List<Integer> slices = wholeSeries ? List.of()
                        : said != null && said.slices() != null && !said.slices().isEmpty() ? said.slices() : SliceNumbers.parse(f.getSlices());
                labels.add(new TrainingLabel(signing.facilityId(), signing.studyUid(), f.getSeriesUid(), slices,
                        files.of(f.getSeriesUid(), slices), f.getId(), f.getModelId(), f.getModelVersion(), f.getLabel(),
                        f.isPositive(), f.getProbability(), v, signing.radiologist(), signing.reportId(), now));
            }
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("AI finding(s) " + given.keySet() + " are not findings of study "
                        + signing.studyUid());
            }
            for (MissedFinding m : signing.missed()) {
                List<Integer> slices = m.slices() == null ? List.of() : m.slices();
                // A model that looked at the study for this label and said "nothing" is the one that
                // missed it: the label names that model version, so its agreement can be measured.
                AiFinding looked = findings.stream()
                        .filter(f -> f.getLabel().equals(m.label()) && !f.isPositive()
                                && (m.modelId() == null || m.modelId().equals(f.getModelId())))
                        .findFirst().orElse(null);
                labels.add(new TrainingLabel(signing.facilityId(), signing.studyUid(), m.seriesUid(), slices,
                        files.of(m.seriesUid(), slices), null, looked != null ? looked.getModelId() : m.modelId(),
                        looked != null ? looked.getModelVersion() : null, m.label(), looked != null ? Boolean.FALSE : null,
                        looked != null ? looked.getProbability() : null, Verdict.ADDED_MISSED, signing.radiologist(),
                        signing.reportId(), now));
            }
            labels.forEach(s::persist);
            s.persist(new AuditEvent("learning", "labels-captured", "report", signing.reportId(),
                    labels.size() + " label(s) (" + count(labels, Verdict.CONFIRMED) + " confirmed, "
                            + count(labels, Verdict.REJECTED) + " rejected, " + count(labels, Verdict.ADDED_MISSED)
                            + " added) and " + signing.qcOverrides().size() + " QC override(s)"));
            return new Captured(labels.size(), signing.qcOverrides().size());
        });
    }

    /** The findings of the study's most recent triage decision: a re-triaged study is judged on what the radiologist saw. */
    private static List<AiFinding> latestFindings(Session s, String studyUid) {
        Long decision = s.createQuery("select max(decisionId) from AiFinding where studyUid = :u", Long.class)
                .setParameter("u", studyUid).uniqueResult();
        if (decision == null) return List.of();
        return s.createQuery("from AiFinding where decisionId = :d order by id", AiFinding.class)
                .setParameter("d", decision).list();
    }

    private static long count(List<TrainingLabel> labels, Verdict v) {
        return labels.stream().filter(l -> l.getVerdict() == v).count();
    }

    /** The files of a series (all, or those with the given instance numbers), from the signing or the study index. */
    private static final class SeriesFiles {
        private final Session session;
        private final Signing signing;

        SeriesFiles(Session session, Signing signing) {
            this.session = session;
            this.signing = signing;
        }

        List<Path> of(String seriesUid, List<Integer> slices) {
            if (seriesUid == null) return List.of();
            Map<Integer, List<Path>> byNumber = new LinkedHashMap<>();
            List<Path> given = signing.seriesFiles().get(seriesUid);
            if (given != null) {
                for (Path p : given) {
                    try {
                        byNumber.computeIfAbsent(DicomSlices.header(p).instanceNumber(), k -> new ArrayList<>()).add(p);
                    } catch (IOException e) {
                        throw new IllegalArgumentException("Series " + seriesUid + ": " + p.getFileName() + " is not readable DICOM");
                    }
                }
            } else {
                List<Instance> instances = session.createQuery("""
                                select i from Instance i, Series se, Study st
                                where i.seriesId = se.id and se.studyId = st.id and st.studyInstanceUid = :study
                                and st.facilityId = :facility and se.seriesInstanceUid = :series and i.currentVersion = true
                                order by i.instanceNumber""", Instance.class)
                        .setParameter("study", signing.studyUid()).setParameter("facility", signing.facilityId())
                        .setParameter("series", seriesUid).list();
                for (Instance i : instances) {
                    byNumber.computeIfAbsent(i.getInstanceNumber() == null ? 0 : i.getInstanceNumber(), k -> new ArrayList<>())
                            .add(Path.of(i.getFilePath()));
                }
            }
            List<Path> out = new ArrayList<>();
            if (slices.isEmpty()) byNumber.values().forEach(out::addAll);
            else for (Integer n : slices) out.addAll(byNumber.getOrDefault(n, List.of()));
            return out;
        }
    }
}
