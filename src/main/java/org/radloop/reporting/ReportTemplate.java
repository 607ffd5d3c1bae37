package org.radloop.reporting;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Locale;

/** One exam's report template from {@code mappings/templates/<id>.yaml} (schema: report-template.schema.json). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReportTemplate(String id, String title, String modality, String bodyPart, String technique,
                             List<Organ> organs, String impressionNormal, Required required) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Organ(String id, String title, String location, String normal, List<String> findingCodes, List<String> labels) {
        /** Whether an AI finding (by its code or model label) belongs here. */
        boolean holds(String code, String label) {
            return (code != null && findingCodes != null && findingCodes.contains(code))
                    || (label != null && labels != null && labels.stream().anyMatch(l -> l.equalsIgnoreCase(label)));
        }

        String place() {
            return location != null ? location : "the " + title.toLowerCase(Locale.ROOT);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Required(List<String> sections, List<String> fields) {
    }

    /** The organ an AI finding is reported under: the one that lists it, else the first. */
    Organ organFor(String code, String label) {
        for (Organ o : organs) if (o.holds(code, label)) return o;
        return organs.get(0);
    }
}
