package org.radloop.qc;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the quality check needs to know about one signed report, gathered by the caller from the
 * report, its template, its order, its study and the AI findings: the check itself reads no database.
 *
 * @param sections            section name (history, technique, comparison, findings, impression, ...) to its text
 * @param template            the report template's required sections and fields and its normal sentences
 * @param untouchedTemplateText sentences still exactly as the template wrote them (the editor knows); the
 *                            template's normal sentences found verbatim in the text count as untouched too
 * @param orderLaterality     the side the order asked for, or null
 * @param procedureLaterality the side of the procedure (code or description), or null
 * @param dicomLaterality     the side the images carry (Laterality / Image Laterality), or null
 * @param patient             this report's patient: sex, name, identifiers and the study's accession
 * @param priorStudyDates     the dates of this patient's prior studies the radiologist could compare with
 * @param aiFindings          what the AI models said and what the radiologist did with it
 * @param criticalNotificationStarted whether a critical-result notification has been started for this report
 * @param otherOpenStudies    the other patients whose studies the radiologist had open in the same session
 *                            (the usual source of text dictated into the wrong report)
 */
public record ReportUnderReview(Map<String, String> sections, Template template, List<String> untouchedTemplateText,
                                Side orderLaterality, Side procedureLaterality, Side dicomLaterality, String procedure,
                                PatientIdentity patient, LocalDate studyDate, List<LocalDate> priorStudyDates,
                                List<AiReview> aiFindings, boolean criticalNotificationStarted,
                                List<PatientIdentity> otherOpenStudies) {

    public ReportUnderReview {
        Map<String, String> s = new LinkedHashMap<>();
        if (sections != null) sections.forEach((k, v) -> s.put(k.toLowerCase(Locale.ROOT), v));
        sections = java.util.Collections.unmodifiableMap(s);
        template = template == null ? Template.NONE : template;
        untouchedTemplateText = present(untouchedTemplateText);
        patient = patient == null ? new PatientIdentity(null, null, null, List.of(), null) : patient;
        priorStudyDates = present(priorStudyDates);
        aiFindings = present(aiFindings);
        otherOpenStudies = present(otherOpenStudies);
    }

    /** The list without its null entries: what the caller could not fill in is simply not there. */
    static <T> List<T> present(List<T> list) {
        return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
    }

    /** The template's expectations; normal sentences are the default text of a normal study. */
    public record Template(String name, List<String> requiredSections, List<RequiredField> requiredFields,
                           List<String> normalSentences) {
        public static final Template NONE = new Template(null, List.of(), List.of(), List.of());

        public Template {
            requiredSections = present(requiredSections).stream().map(x -> x.toLowerCase(Locale.ROOT)).toList();
            requiredFields = present(requiredFields);
            normalSentences = present(normalSentences);
        }
    }

    /** A field the template requires inside a section, e.g. the BI-RADS category in the impression. */
    public record RequiredField(String name, String section, String pattern) {
    }

    /** A patient (sex as HL7 administrative sex F/M/O/U/A/N), with identifiers and the study's accession. */
    public record PatientIdentity(String sex, String familyName, String givenName, List<String> identifiers, String accession) {
        public PatientIdentity {
            identifiers = present(identifiers);
        }
    }

    /** What the radiologist did with an AI finding. */
    public enum Verdict { CONFIRMED, REJECTED, NONE }

    /** One AI finding with its probability, the model's threshold and the radiologist's verdict. */
    public record AiReview(String label, String code, String text, double probability, Double threshold,
                           Verdict verdict, String rejectionReason) {
        public AiReview {
            verdict = verdict == null ? Verdict.NONE : verdict;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a report under review field by field (the caller, tests and the corpus use it). */
    public static final class Builder {
        private final Map<String, String> sections = new LinkedHashMap<>();
        private Template template = Template.NONE;
        private final List<String> untouched = new ArrayList<>();
        private Side order, procedureSide, dicom;
        private String procedure;
        private PatientIdentity patient;
        private LocalDate studyDate;
        private final List<LocalDate> priors = new ArrayList<>();
        private final List<AiReview> ai = new ArrayList<>();
        private boolean notified;
        private final List<PatientIdentity> others = new ArrayList<>();

        public Builder section(String name, String text) {
            if (text != null) sections.put(name, text);
            return this;
        }

        public Builder template(Template t) {
            template = t;
            return this;
        }

        public Builder untouched(String text) {
            untouched.add(text);
            return this;
        }

        public Builder laterality(Side orderSide, Side procedureSide, Side dicomSide) {
            this.order = orderSide;
            this.procedureSide = procedureSide;
            this.dicom = dicomSide;
            return this;
        }

        public Builder procedure(String p) {
            procedure = p;
            return this;
        }

        public Builder patient(PatientIdentity p) {
            patient = p;
            return this;
        }

        public Builder studyDate(LocalDate d) {
            studyDate = d;
            return this;
        }

        public Builder prior(LocalDate d) {
            priors.add(d);
            return this;
        }

        public Builder ai(AiReview r) {
            ai.add(r);
            return this;
        }

        public Builder notificationStarted(boolean b) {
            notified = b;
            return this;
        }

        public Builder otherOpenStudy(PatientIdentity p) {
            others.add(p);
            return this;
        }

        public ReportUnderReview build() {
            return new ReportUnderReview(sections, template, untouched, order, procedureSide, dicom, procedure, patient,
                    studyDate, priors, ai, notified, others);
        }
    }
}
