package org.radloop.triage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hibernate.Session;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Series;
import org.radloop.model.Study;

/**
 * Gathers what triage needs about one study from the store: the DICOM side (modality, body part,
 * descriptions, the current file of every instance) and the order side (priority, patient class and
 * location, reason for exam, diagnosis codes), plus the facility's turnaround agreement. Nothing is
 * taken from the queue message.
 */
final class StudyFactsReader {

    /** Modalities that carry no images a model could read: never the study's modality for selection. */
    private static final Set<String> NOT_IMAGES = Set.of("SR", "PR", "KO", "DOC", "REG", "SEG", "RTSTRUCT", "OT");

    private final FacilityRegistry facilities;

    StudyFactsReader(FacilityRegistry facilities) {
        this.facilities = facilities;
    }

    StudyFacts read(Session s, Study study) {
        ImagingOrder order = study.getOrderId() == null ? null : s.find(ImagingOrder.class, study.getOrderId());
        List<String> descriptions = new ArrayList<>();
        if (study.getDescription() != null) descriptions.add(study.getDescription());
        for (Series se : s.createQuery("from Series where studyId = :id order by seriesNumber, id", Series.class)
                .setParameter("id", study.getId()).list()) {
            if (se.getDescription() != null) descriptions.add(se.getDescription());
        }
        // Current versions only: a replaced instance's old file is kept for the audit trail, not read.
        List<Path> files = s.createQuery("select i.filePath from Instance i where i.studyId = :id and i.currentVersion = true"
                        + " order by i.seriesId, i.instanceNumber, i.id", String.class)
                .setParameter("id", study.getId()).list().stream().map(Path::of).toList();
        FacilityConfig.Turnaround turnaround = facilities.byId(study.getFacilityId())
                .map(f -> f.config().turnaround()).orElse(null);
        return new StudyFacts(study.getFacilityId(), modality(study, order), bodyPart(study, order), descriptions, files,
                orderFacts(order), study.getCompletedAt(), turnaround);
    }

    static OrderFacts orderFacts(ImagingOrder o) {
        if (o == null) return OrderFacts.none();
        List<String> codes = o.getDiagnosisCodes() == null ? List.of()
                : Arrays.stream(o.getDiagnosisCodes().split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList();
        return new OrderFacts(o.getPriority() == null ? null : o.getPriority().name(), o.getPatientClass(),
                o.getPatientLocation(), o.getReasonForExam(), codes);
    }

    /** The first image modality the modality sent; the ordered procedure's when the images say none. */
    private static String modality(Study study, ImagingOrder order) {
        for (String m : study.getModalities()) {
            if (!NOT_IMAGES.contains(m.toUpperCase(Locale.ROOT))) return m;
        }
        return order == null ? null : order.getModality();
    }

    private static String bodyPart(Study study, ImagingOrder order) {
        if (study.getBodyPart() != null) return study.getBodyPart();
        return order == null ? null : order.getBodyPart();
    }
}
