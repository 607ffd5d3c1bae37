package org.radloop.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How report sections are named and laid out in the forms every channel sends: the LOINC code of a
 * section (HL7 OBX-3, FHIR), and the text as lines (a title line, then the text line by line).
 */
final class ReportSections {

    static final String IMPRESSION_LOINC = "19005-8";
    static final String FINDINGS_LOINC = "18782-3";

    private ReportSections() {
    }

    /** LOINC for the usual radiology report sections; anything else is filed as findings text. */
    static String loinc(String title) {
        String t = title == null ? "" : title.toLowerCase(Locale.ROOT);
        if (t.contains("impression") || t.contains("conclusion")) return IMPRESSION_LOINC;
        if (t.contains("history") || t.contains("indication") || t.contains("clinical")) return "55752-0";
        if (t.contains("technique") || t.contains("procedure")) return "55111-9";
        if (t.contains("comparison")) return "18834-2";
        return FINDINGS_LOINC;
    }

    /** The section as lines: its title in capitals with a colon, then its text, blank lines kept as empty. */
    static List<String> lines(String title, String text) {
        List<String> lines = new ArrayList<>();
        lines.add(title.toUpperCase(Locale.ROOT) + ":");
        if (text != null) {
            for (String line : text.strip().split("\\R", -1)) lines.add(line.stripTrailing());
        }
        return lines;
    }
}
