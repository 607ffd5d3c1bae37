package org.radloop.reporting;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.Session;
import org.radloop.model.Instance;
import org.radloop.model.Series;
import org.radloop.model.Study;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The technique facts from the DICOM headers: modality, body part, contrast agent and slice
 * thickness. Modality and body part come from the study index; contrast and slice thickness are read
 * from the first stored instance of each series (the header only, never the pixels).
 */
final class TechniqueFacts {

    private static final Logger LOG = LoggerFactory.getLogger(TechniqueFacts.class);

    private TechniqueFacts() {
    }

    /** "Modality: CT. Body part: HEAD. Contrast: none recorded. Slice thickness: 5 mm. Series: ...". */
    static String describe(Session s, Study study) {
        if (study == null) return "No DICOM header available.";
        Set<String> modalities = new LinkedHashSet<>(study.getModalities());
        Set<String> bodyParts = new LinkedHashSet<>();
        if (study.getBodyPart() != null) bodyParts.add(study.getBodyPart());
        Set<String> contrast = new LinkedHashSet<>();
        Set<String> thickness = new LinkedHashSet<>();
        List<String> series = new ArrayList<>();
        for (Series x : s.createSelectionQuery("from Series where studyId = :s order by seriesNumber, id", Series.class)
                .setParameter("s", study.getId()).list()) {
            if (x.getModality() != null) modalities.add(x.getModality());
            if (x.getBodyPart() != null) bodyParts.add(x.getBodyPart());
            series.add((x.getDescription() == null ? "series " + (x.getSeriesNumber() == null ? "?" : x.getSeriesNumber()) : x.getDescription())
                    + " (" + x.getInstanceCount() + " images)");
            Instance first = s.createSelectionQuery("from Instance where seriesId = :s and currentVersion = true order by instanceNumber, id",
                    Instance.class).setParameter("s", x.getId()).setMaxResults(1).uniqueResult();
            if (first == null) continue;
            AttributeList header = header(first.getFilePath());
            if (header == null) continue;
            String agent = value(header, "ContrastBolusAgent");
            if (agent != null) contrast.add(agent);
            String t = value(header, "SliceThickness");
            if (t != null) thickness.add(t + " mm");
        }
        StringBuilder b = new StringBuilder();
        b.append("Modality: ").append(modalities.isEmpty() ? "not recorded" : String.join(", ", modalities)).append(". ");
        b.append("Body part: ").append(bodyParts.isEmpty() ? "not recorded" : String.join(", ", bodyParts)).append(". ");
        b.append("Contrast: ").append(contrast.isEmpty() ? "none recorded in the DICOM header" : String.join(", ", contrast)).append(". ");
        if (!thickness.isEmpty()) b.append("Slice thickness: ").append(String.join(", ", thickness)).append(". ");
        if (!series.isEmpty()) b.append("Series: ").append(String.join("; ", series)).append('.');
        return b.toString().trim();
    }

    private static AttributeList header(String path) {
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try {
            list.read(path, TagFromName.PixelData);
            return list;
        } catch (Exception e) {
            LOG.warn("DICOM header of a stored instance cannot be read for the report technique: {}", e.getClass().getSimpleName());
            return null;
        }
    }

    private static String value(AttributeList list, String name) {
        var tag = switch (name) {
            case "ContrastBolusAgent" -> TagFromName.ContrastBolusAgent;
            default -> TagFromName.SliceThickness;
        };
        String v = Attribute.getSingleStringValueOrNull(list, tag);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
