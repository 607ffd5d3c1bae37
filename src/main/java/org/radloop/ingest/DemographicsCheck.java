package org.radloop.ingest;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.radloop.model.Patient;
import org.radloop.model.Study;

/**
 * Compares the demographics a modality wrote into the images with the patient the RIS ordered the
 * exam for. A difference usually means a wrong worklist pick at the modality: images filed to the
 * wrong patient are a patient-safety risk, so the study is flagged for a person to look at.
 *
 * <p>Only values both sides know are compared; names ignore case, accents, spaces and punctuation,
 * and only the family name and first given name count (middle names are often dropped on the way).
 */
final class DemographicsCheck {

    private static final Set<String> COMPARABLE_SEX = Set.of("M", "F", "O");

    private DemographicsCheck() {
    }

    /** The differences found, worded for an analyst; empty when the two agree. */
    static List<String> differences(Study study, Patient patient) {
        List<String> diffs = new ArrayList<>();
        String[] pn = dicomName(study.getDicomPatientName());
        String dicomFamily = norm(pn[0]);
        String dicomGiven = norm(firstToken(pn[1]));
        String hl7Family = norm(patient.getFamilyName());
        String hl7Given = norm(firstToken(patient.getGivenName()));
        if (!dicomFamily.isEmpty() && !hl7Family.isEmpty() && !dicomFamily.equals(hl7Family)) {
            diffs.add("family name: DICOM '" + pn[0].trim() + "' vs order '" + patient.getFamilyName() + "'");
        }
        if (!dicomGiven.isEmpty() && !hl7Given.isEmpty() && !dicomGiven.equals(hl7Given)) {
            diffs.add("given name: DICOM '" + pn[1].trim() + "' vs order '" + patient.getGivenName() + "'");
        }
        String dSex = upper(study.getDicomPatientSex());
        String hSex = upper(patient.getSex());
        if (COMPARABLE_SEX.contains(dSex) && COMPARABLE_SEX.contains(hSex) && !dSex.equals(hSex)) {
            diffs.add("sex: DICOM " + dSex + " vs order " + hSex);
        }
        if (study.getDicomBirthDate() != null && patient.getBirthDate() != null
                && !study.getDicomBirthDate().equals(patient.getBirthDate())) {
            diffs.add("birth date: DICOM " + study.getDicomBirthDate() + " vs order " + patient.getBirthDate());
        }
        return diffs;
    }

    /** Family and given name of a DICOM PN (alphabetic group only, before any '=' ideographic group). */
    private static String[] dicomName(String pn) {
        String[] out = {"", ""};
        if (pn == null) return out;
        String alphabetic = pn.split("=", -1)[0];
        String[] parts = alphabetic.split("\\^", -1);
        out[0] = parts.length > 0 ? parts[0] : "";
        out[1] = parts.length > 1 ? parts[1] : "";
        return out;
    }

    private static String firstToken(String s) {
        if (s == null) return "";
        String t = s.trim();
        int sp = t.indexOf(' ');
        return sp < 0 ? t : t.substring(0, sp);
    }

    private static String norm(String s) {
        if (s == null) return "";
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.isLetterOrDigit(c)) sb.append(c);
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    private static String upper(String s) {
        return s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
    }
}
