package org.radloop.qc;

import org.radloop.support.TestEngine;

/** The project's own QC configuration, read once for the unit tests. */
final class QcTestSupport {
    private static QcEngine engine;

    private QcTestSupport() {
    }

    static synchronized QcEngine engine() {
        if (engine == null) engine = QcEngine.fromHome(TestEngine.projectHome());
        return engine;
    }

    static QcLexicon lexicon() {
        return engine().lexicon();
    }

    /** A report with the default template (findings and impression required) and a female patient. */
    static ReportUnderReview.Builder report(String findings, String impression) {
        return ReportUnderReview.builder().section("findings", findings).section("impression", impression)
                .template(new ReportUnderReview.Template("t", java.util.List.of("findings", "impression"), null, null))
                .patient(new ReportUnderReview.PatientIdentity("F", "Synthetic", "Pat", java.util.List.of("40012345"), "A7000001"));
    }
}
