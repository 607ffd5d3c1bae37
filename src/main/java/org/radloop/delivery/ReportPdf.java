package org.radloop.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.radloop.config.FacilityRegistry;

/**
 * The report as a PDF for people: the facility's name as header, the patient, the exam, each
 * section, the impression, who signed and when, and a line that discloses AI assistance. A4, the
 * PDF standard fonts (no font files to ship); characters those fonts cannot show are printed as
 * '?' rather than refused. The same PDF goes by SFTP, by email, into FHIR presentedForm and into
 * the DICOM Encapsulated PDF.
 */
public final class ReportPdf {

    private static final float MARGIN = 56;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm z", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private final FacilityRegistry facilities;

    public ReportPdf(FacilityRegistry facilities) {
        this.facilities = facilities;
    }

    public byte[] render(ReportForDelivery r) {
        String facilityName = r.facilityId();
        ZoneId zone = ZoneId.of("UTC");
        var loaded = facilities == null ? null : facilities.byId(r.facilityId()).orElse(null);
        if (loaded != null) {
            facilityName = loaded.config().name();
            zone = ZoneId.of(loaded.config().timeZone());
        }
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Fonts fonts = new Fonts();
            Writer w = new Writer(doc, fonts);
            w.text(fonts.bold, 16, facilityName);
            w.text(fonts.regular, 12, "Radiology report" + (r.status() == ReportForDelivery.Status.CORRECTED
                    ? " - CORRECTED (version " + r.version() + ")" : ""));
            w.rule();
            ReportForDelivery.Patient p = r.patient();
            w.field("Patient", p.displayName());
            w.field("Patient ID", p.identifier() + (p.assigningAuthority() == null ? "" : " (" + p.assigningAuthority() + ")"));
            w.field("Date of birth", (p.birthDate() == null ? "unknown" : DAY.format(p.birthDate()))
                    + "    Sex: " + (p.sex() == null ? "unknown" : p.sex()));
            ReportForDelivery.Order o = r.order();
            w.field("Exam", nz(o.procedureText()) + (o.procedureCode() == null ? "" : " (" + o.procedureCode() + ")"));
            w.field("Accession", nz(o.accessionNumber()));
            if (o.examAt() != null) w.field("Exam date", WHEN.format(o.examAt().atZone(zone)));
            if (o.orderingProvider() != null) w.field("Referrer", o.orderingProvider().displayName());
            w.rule();
            for (Map.Entry<String, String> s : r.sections().entrySet()) w.section(s.getKey(), s.getValue());
            if (r.impression() != null && !r.impression().isBlank()) w.section("Impression", r.impression());
            w.rule();
            w.paragraph(fonts.regular, 10, "Electronically signed by " + (r.signer() == null ? "unknown" : r.signer().displayName())
                    + (r.signedAt() == null ? "" : " on " + WHEN.format(r.signedAt().atZone(zone))));
            if (r.aiDisclosure() != null && !r.aiDisclosure().isBlank()) {
                w.paragraph(fonts.italic, 9, "AI assistance: " + r.aiDisclosure());
            }
            w.footer("Report " + r.reportId() + " version " + r.version());
            w.close();
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("Radiology report " + nz(o.accessionNumber()));
            info.setAuthor(r.signer() == null ? null : r.signer().displayName());
            info.setCreator("RadLoop");
            if (r.signedAt() != null) {
                GregorianCalendar c = GregorianCalendar.from(r.signedAt().atZone(zone));
                info.setCreationDate(c);
                info.setModificationDate(c);
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot render the report PDF: " + e.getMessage(), e);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * The three faces used, made once per document: PDFBox looks up a glyph source for each standard
     * font object it is asked to encode with (and logs when it falls back to its bundled one), and
     * font objects are not shared between threads.
     */
    private static final class Fonts {
        final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        final PDType1Font italic = new PDType1Font(Standard14Fonts.FontName.HELVETICA_OBLIQUE);
    }

    /** Writes lines top to bottom, starting a new page when one is full. */
    private static final class Writer {
        private final PDDocument doc;
        private final Fonts fonts;
        private final List<PDPage> pages = new ArrayList<>();
        private PDPageContentStream cs;
        private float y;

        Writer(PDDocument doc, Fonts fonts) throws IOException {
            this.doc = doc;
            this.fonts = fonts;
            newPage();
        }

        private void newPage() throws IOException {
            if (cs != null) cs.close();
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            pages.add(page);
            cs = new PDPageContentStream(doc, page);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        private void need(float height) throws IOException {
            if (y - height < MARGIN + 20) newPage();
        }

        void text(PDType1Font font, float size, String text) throws IOException {
            need(size * 1.4f);
            y -= size * 1.4f;
            show(font, size, MARGIN, text);
        }

        void field(String label, String value) throws IOException {
            PDType1Font b = fonts.bold;
            need(14);
            y -= 14;
            show(b, 10, MARGIN, label + ":");
            List<String> lines = wrap(fonts.regular, 10, value, WIDTH - 100);
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    need(13);
                    y -= 13;
                }
                show(fonts.regular, 10, MARGIN + 100, lines.get(i));
            }
        }

        void section(String title, String body) throws IOException {
            need(30);
            y -= 8;
            text(fonts.bold, 11, title);
            paragraph(fonts.regular, 10, body);
        }

        void paragraph(PDType1Font font, float size, String text) throws IOException {
            for (String para : (text == null ? "" : text.strip()).split("\\R", -1)) {
                if (para.isBlank()) {
                    y -= size * 0.6f;
                    continue;
                }
                for (String line : wrap(font, size, para, WIDTH)) text(font, size, line);
            }
        }

        void rule() throws IOException {
            need(12);
            y -= 6;
            cs.setLineWidth(0.5f);
            cs.moveTo(MARGIN, y);
            cs.lineTo(MARGIN + WIDTH, y);
            cs.stroke();
            y -= 6;
        }

        void footer(String text) throws IOException {
            cs.close();
            cs = null;
            for (int i = 0; i < pages.size(); i++) {
                try (PDPageContentStream f = new PDPageContentStream(doc, pages.get(i), PDPageContentStream.AppendMode.APPEND, true)) {
                    f.beginText();
                    f.setFont(fonts.regular, 8);
                    f.newLineAtOffset(MARGIN, MARGIN - 20);
                    f.showText(safe(fonts.regular, text + "    page " + (i + 1) + " of " + pages.size()));
                    f.endText();
                }
            }
        }

        void close() throws IOException {
            if (cs != null) cs.close();
        }

        private void show(PDType1Font font, float size, float x, String text) throws IOException {
            cs.beginText();
            cs.setFont(font, size);
            cs.newLineAtOffset(x, y);
            cs.showText(safe(font, text));
            cs.endText();
        }
    }

    /** Greedy word wrap to the width; a word longer than a line is cut. */
    static List<String> wrap(PDType1Font font, float size, String text, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : safe(font, text).split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (font.getStringWidth(candidate) / 1000 * size <= width) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (line.length() > 0) lines.add(line.toString());
            line.setLength(0);
            String rest = word;
            while (font.getStringWidth(rest) / 1000 * size > width && rest.length() > 1) {
                int cut = rest.length() - 1;
                while (cut > 1 && font.getStringWidth(rest.substring(0, cut)) / 1000 * size > width) cut--;
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            }
            line.append(rest);
        }
        if (line.length() > 0 || lines.isEmpty()) lines.add(line.toString());
        return lines;
    }

    /** Replaces what the standard fonts cannot encode (WinAnsi) with '?', and tabs with spaces. */
    static String safe(PDType1Font font, String text) {
        if (text == null) return "";
        StringBuilder sb = new StringBuilder(text.length());
        text.replace('\t', ' ').codePoints().forEach(cp -> {
            String ch = new String(Character.toChars(cp));
            try {
                font.encode(ch);
                sb.append(ch);
            } catch (IllegalArgumentException | IOException e) {
                sb.append('?');
            }
        });
        return sb.toString();
    }
}
