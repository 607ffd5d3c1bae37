package org.radloop.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;

/** The report PDF as a reader sees it: every part present, in order, on as many pages as it needs. */
class ReportPdfTest {

    @TempDir
    Path dir;

    private ReportPdf pdf() throws Exception {
        Path conf = DeliveryFixture.conf(dir.resolve("conf"), "[]");
        FacilityRegistry facilities = new FacilityRegistry(conf.resolve("facilities"), TestEngine.projectHome().resolve("mappings"),
                new SchemaValidator(conf.resolve("schemas")));
        assertThat(facilities.reload()).isEmpty();
        return new ReportPdf(facilities);
    }

    private static String text(byte[] bytes) throws Exception {
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    @Test
    void pdfCarriesHeaderPatientExamSectionsSignerAndAiDisclosureInReadingOrder() throws Exception {
        byte[] bytes = pdf().render(DeliveryFixture.report("R300", 1, ReportForDelivery.Status.FINAL, "1.2.3"));
        // Kept in target/ for a person to look at (pdftoppm -png target/delivery-sample-report.pdf ...).
        Files.write(Path.of("target/delivery-sample-report.pdf"), bytes);
        assertThat(new String(bytes, 0, 5)).isEqualTo("%PDF-");
        String text = text(bytes).replace("\r", "");
        assertThat(text).containsSubsequence(
                "Riverside Community Hospital (test)",
                "Radiology report",
                "Patient:", "TESTPATIENT, Alex",
                "Patient ID:", "MRN-R300 (RIVERSIDE)",
                "Date of birth:", "14 Mar 1948", "Sex: F",
                "Exam:", "CT Head without contrast (CTHEAD)",
                "Accession:", "ACC-R300",
                "Referrer:", "Ngozi Okafor",
                "Clinical history", "Fall at home",
                "Technique", "Non-contrast CT",
                "Findings", "12 mm acute subdural haematoma", "No skull fracture.",
                "Impression", "Neurosurgical review recommended.",
                "Electronically signed by Maja Lindqvist on 30 Nov 2026 21:42 GMT",
                "AI assistance: An AI model (ct-head-bleed-demo 1.0) flagged this study",
                "Report R300 version 1", "page 1 of 1");
        assertThat(text).doesNotContain("CORRECTED");
    }

    @Test
    void correctedLongReportWithCharactersOutsideTheFontWrapsOntoPagesAndSaysCorrected() throws Exception {
        ReportForDelivery base = DeliveryFixture.report("R301", 2, ReportForDelivery.Status.CORRECTED, "1.2.3");
        Map<String, String> sections = new LinkedHashMap<>(base.sections());
        sections.put("Findings", ("Long findings paragraph describing every structure in turn without a break. ").repeat(120));
        ReportForDelivery r = new ReportForDelivery(base.reportId(), base.version(), base.status(), base.facilityId(), base.order(),
                new ReportForDelivery.Patient("MRN-1", "RIVERSIDE", "Łukasiewicz", "Zoë", null, null),
                base.studyInstanceUid(), sections, base.impression(), base.signer(), base.signedAt(), base.aiDisclosure(), base.findings());
        byte[] bytes = pdf().render(r);
        String text = text(bytes);
        assertThat(text).contains("Radiology report - CORRECTED (version 2)");
        // Ł is not in the standard fonts' encoding: shown as '?', never a failure; ë is
        assertThat(text).contains("?UKASIEWICZ, Zoë");
        assertThat(text).contains("Date of birth:", "unknown");
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            assertThat(doc.getNumberOfPages()).isGreaterThan(1);
            assertThat(text).contains("page 1 of " + doc.getNumberOfPages());
        }
        // no line runs off the page: every wrapped line of the long paragraph is shorter than the page
        assertThat(text.lines().filter(l -> l.startsWith("Long findings")).count()).isGreaterThan(10);
        assertThat(text.lines().mapToInt(String::length).max().orElse(0)).isLessThan(130);
        assertThat(text).contains("AI assistance:");
    }
}
