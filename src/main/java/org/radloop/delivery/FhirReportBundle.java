package org.radloop.delivery;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * The FHIR R4 transaction that files a report on the facility's FHIR server:
 * <ul>
 *   <li>Patient, ServiceRequest (the order: placer number and accession) and ImagingStudy (the
 *       Study Instance UID) each by conditional create on their identifier, so the server's
 *       existing resources are referenced and none is duplicated;</li>
 *   <li>one Observation per coded finding (conditional create on report id, version and index);</li>
 *   <li>the DiagnosticReport by conditional update on the report's identifier: a corrected version
 *       replaces the final one (status corrected), the PDF as presentedForm, the impression as
 *       conclusion, references to all of the above.</li>
 * </ul>
 * A repeat of the same transaction (a retry after a lost answer) changes nothing on the server.
 */
final class FhirReportBundle {

    static final String DICOM_UID_SYSTEM = "urn:dicom:uid";
    private static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
    private static final String SNOMED = "http://snomed.info/sct";

    /** Identifier systems; the channel may set its own to match the facility's FHIR server. */
    record Systems(String patient, String placer, String accession, String report, String observation) {

        static Systems of(DeliveryChannel channel, ReportForDelivery report) {
            String base = "urn:radloop:" + report.facilityId();
            String authority = report.patient().assigningAuthority() == null ? "mrn" : report.patient().assigningAuthority();
            return new Systems(
                    channel.text("patientIdentifierSystem", base + ":patient:" + authority),
                    channel.text("placerOrderSystem", base + ":placer"),
                    channel.text("accessionSystem", base + ":accession"),
                    channel.text("reportIdentifierSystem", base + ":report"),
                    base + ":observation");
        }
    }

    private FhirReportBundle() {
    }

    static Bundle build(ReportForDelivery r, byte[] pdf, Systems sys) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);

        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem(sys.patient()).setValue(r.patient().identifier())
                .setType(new CodeableConcept(new Coding(V2_0203, "MR", "Medical record number"))));
        patient.addName(new HumanName().setFamily(r.patient().familyName()).addGiven(r.patient().givenName()));
        if (r.patient().birthDate() != null) patient.setBirthDate(java.sql.Date.valueOf(r.patient().birthDate()));
        patient.setGender(gender(r.patient().sex()));
        String patientRef = create(bundle, patient, "identifier=" + sys.patient() + "|" + r.patient().identifier());

        ReportForDelivery.Order o = r.order();
        ServiceRequest order = new ServiceRequest();
        order.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED).setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        if (o.placerOrderNumber() != null) order.addIdentifier(new Identifier().setSystem(sys.placer()).setValue(o.placerOrderNumber())
                .setType(new CodeableConcept(new Coding(V2_0203, "PLAC", "Placer Identifier"))));
        if (o.accessionNumber() != null) order.addIdentifier(new Identifier().setSystem(sys.accession()).setValue(o.accessionNumber())
                .setType(new CodeableConcept(new Coding(V2_0203, "ACSN", "Accession ID"))));
        order.setCode(procedure(o));
        order.setSubject(new Reference(patientRef));
        if (o.orderingProvider() != null) order.setRequester(new Reference().setDisplay(o.orderingProvider().displayName()));
        String orderRef = create(bundle, order, o.accessionNumber() != null
                ? "identifier=" + sys.accession() + "|" + o.accessionNumber()
                : "identifier=" + sys.placer() + "|" + o.placerOrderNumber());

        String studyRef = null;
        if (r.studyInstanceUid() != null) {
            ImagingStudy study = new ImagingStudy();
            study.addIdentifier(new Identifier().setSystem(DICOM_UID_SYSTEM).setValue("urn:oid:" + r.studyInstanceUid()));
            study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
            study.setSubject(new Reference(patientRef));
            study.addBasedOn(new Reference(orderRef));
            studyRef = create(bundle, study, "identifier=" + DICOM_UID_SYSTEM + "|urn:oid:" + r.studyInstanceUid());
        }

        List<String> observations = new ArrayList<>();
        int n = 0;
        for (ReportForDelivery.Finding f : r.findings()) {
            n++;
            Observation obs = new Observation();
            String id = r.reportId() + "-v" + r.version() + "-" + n;
            obs.addIdentifier(new Identifier().setSystem(sys.observation()).setValue(id));
            obs.setStatus(r.status() == ReportForDelivery.Status.CORRECTED ? Observation.ObservationStatus.CORRECTED : Observation.ObservationStatus.FINAL);
            obs.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging")));
            obs.setCode(new CodeableConcept(new Coding(f.codeSystem(), f.code(), f.text())).setText(f.text()));
            obs.setValue(new CodeableConcept(f.present() ? new Coding(SNOMED, "52101004", "Present") : new Coding(SNOMED, "2667000", "Absent")));
            obs.setSubject(new Reference(patientRef));
            if (r.signedAt() != null) obs.setIssued(Date.from(r.signedAt()));
            if (studyRef != null) obs.addDerivedFrom(new Reference(studyRef));
            observations.add(create(bundle, obs, "identifier=" + sys.observation() + "|" + id));
        }

        DiagnosticReport report = new DiagnosticReport();
        report.addIdentifier(new Identifier().setSystem(sys.report()).setValue(r.reportId()));
        report.setStatus(r.status() == ReportForDelivery.Status.CORRECTED ? DiagnosticReport.DiagnosticReportStatus.CORRECTED
                : DiagnosticReport.DiagnosticReportStatus.FINAL);
        report.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology")));
        report.setCode(procedure(o).addCoding(new Coding("http://loinc.org", "18748-4", "Diagnostic imaging study")));
        report.setSubject(new Reference(patientRef));
        report.addBasedOn(new Reference(orderRef));
        if (studyRef != null) report.addImagingStudy(new Reference(studyRef));
        if (o.examAt() != null) report.setEffective(new org.hl7.fhir.r4.model.DateTimeType(Date.from(o.examAt())));
        if (r.signedAt() != null) report.setIssued(Date.from(r.signedAt()));
        if (r.signer() != null) report.addResultsInterpreter(new Reference().setDisplay(r.signer().displayName()));
        observations.forEach(ref -> report.addResult(new Reference(ref)));
        report.setConclusion(r.impression());
        report.addPresentedForm(new Attachment().setContentType("application/pdf").setLanguage("en")
                .setData(pdf).setTitle("Radiology report" + (o.accessionNumber() == null ? "" : " " + o.accessionNumber()))
                .setCreation(r.signedAt() == null ? null : Date.from(r.signedAt())));
        if (r.aiDisclosure() != null) {
            report.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.ADDITIONAL)
                    .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>AI assistance: "
                            + escape(r.aiDisclosure()) + "</p></div>");
        }
        String reportUrn = "urn:uuid:" + UUID.randomUUID();
        bundle.addEntry().setFullUrl(reportUrn).setResource(report).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl("DiagnosticReport?identifier=" + sys.report() + "|" + r.reportId());
        return bundle;
    }

    private static String create(Bundle bundle, Resource resource, String ifNoneExist) {
        String urn = "urn:uuid:" + UUID.randomUUID();
        bundle.addEntry().setFullUrl(urn).setResource(resource).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType()).setIfNoneExist(ifNoneExist);
        return urn;
    }

    private static CodeableConcept procedure(ReportForDelivery.Order o) {
        CodeableConcept c = new CodeableConcept().setText(o.procedureText());
        if (o.procedureCode() != null) {
            c.addCoding(new Coding(o.procedureCodingSystem() == null ? null : "urn:radloop:code-system:" + o.procedureCodingSystem(),
                    o.procedureCode(), o.procedureText()));
        }
        return c;
    }

    private static Enumerations.AdministrativeGender gender(String sex) {
        if (sex == null) return Enumerations.AdministrativeGender.UNKNOWN;
        return switch (sex.toUpperCase(java.util.Locale.ROOT)) {
            case "M" -> Enumerations.AdministrativeGender.MALE;
            case "F" -> Enumerations.AdministrativeGender.FEMALE;
            case "O", "A" -> Enumerations.AdministrativeGender.OTHER;
            default -> Enumerations.AdministrativeGender.UNKNOWN;
        };
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
