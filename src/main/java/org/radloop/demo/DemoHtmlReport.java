package org.radloop.demo;

import java.util.List;
import java.util.Locale;

/**
 * The summary as one self-contained HTML page: the same text, and plots drawn here as inline SVG
 * (no script, no external library, nothing fetched): time to signed report per study, RadLoop's
 * order against the computed FIFO order, and each model's held-out AUC by version.
 */
final class DemoHtmlReport {

    private DemoHtmlReport() {
    }

    static String html(DemoSummary s) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>RadLoop demo report</title>")
                .append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}pre{background:#f4f4f4;padding:1em;")
                .append("overflow:auto}svg{background:#fff;border:1px solid #ddd}.note{color:#a33}</style></head><body>")
                .append("<h1>RadLoop demo report</h1><p>Synthetic phantoms and simulated people; not clinical data.</p>");
        if (!s.deliveryWired()) h.append("<p class=\"note\">Delivery is not wired on this build: signed reports are not QC-checked or delivered.</p>");
        h.append("<h2>Time to signed report by urgency</h2>").append(turnaroundBars(s.rows()));
        h.append("<h2>Each study: RadLoop (filled) and computed FIFO (open)</h2>").append(studyDots(s.points()));
        h.append("<h2>Models: held-out AUC, version in service and candidate</h2>").append(modelBars(s.learning()));
        h.append("<h2>Summary</h2><pre>").append(escape(s.text())).append("</pre></body></html>\n");
        return h.toString();
    }

    private static String turnaroundBars(List<DemoSummary.UrgencyRow> rows) {
        int w = 640, h = 260, left = 60, bottom = 40;
        double max = 1;
        for (var r : rows) max = Math.max(max, Math.max(nz(r.p95()), nz(r.fifoP95())));
        StringBuilder svg = svg(w, h).append(axis(left, h - bottom, w - 20, max, "simulated minutes"));
        int group = rows.isEmpty() ? 0 : (w - left - 20) / rows.size();
        for (int i = 0; i < rows.size(); i++) {
            var r = rows.get(i);
            int x = left + i * group + 10;
            double[] v = {r.median(), r.p95(), r.fifoMedian(), r.fifoP95()};
            String[] colour = {"#1f77b4", "#6baed6", "#d62728", "#fc9272"};
            int bw = Math.max(8, (group - 20) / 4);
            for (int k = 0; k < 4; k++) {
                double bh = nz(v[k]) / max * (h - bottom - 20);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%.1f</title></rect>",
                        x + k * bw, h - bottom - bh, bw - 2, bh, colour[k], nz(v[k])));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s (n=%d)</text>", x, h - bottom + 16, r.urgency(), r.studies()));
        }
        svg.append("<text x=\"70\" y=\"16\" font-size=\"11\" fill=\"#1f77b4\">RadLoop median</text>")
                .append("<text x=\"170\" y=\"16\" font-size=\"11\" fill=\"#6baed6\">RadLoop p95</text>")
                .append("<text x=\"260\" y=\"16\" font-size=\"11\" fill=\"#d62728\">FIFO median (computed)</text>")
                .append("<text x=\"410\" y=\"16\" font-size=\"11\" fill=\"#fc9272\">FIFO p95 (computed)</text>");
        return svg.append("</svg>").toString();
    }

    private static String studyDots(List<DemoSummary.StudyPoint> points) {
        int w = 640, h = 260, left = 60, bottom = 40;
        double max = 1;
        for (var p : points) max = Math.max(max, Math.max(nz(p.minutes()), nz(p.fifoMinutes())));
        StringBuilder svg = svg(w, h).append(axis(left, h - bottom, w - 20, max, "simulated minutes"));
        int n = Math.max(1, points.size());
        for (int i = 0; i < points.size(); i++) {
            var p = points.get(i);
            double x = left + 10 + i * (w - left - 40.0) / n;
            String c = switch (p.urgency()) {
                case "critical" -> "#d62728";
                case "urgent" -> "#ff7f0e";
                default -> "#1f77b4";
            };
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>study %d %s %s: %.1f min</title></circle>",
                    x, y(p.minutes(), max, h, bottom), c, p.number(), p.kind(), p.urgency(), p.minutes()));
            if (!Double.isNaN(p.fifoMinutes())) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"none\" stroke=\"%s\"><title>FIFO %.1f min</title></circle>",
                        x, y(p.fifoMinutes(), max, h, bottom), c, p.fifoMinutes()));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">studies in order of arrival; red critical, orange urgent, blue routine</text>",
                left, h - bottom + 20));
        return svg.append("</svg>").toString();
    }

    private static String modelBars(DemoLearning.Result learning) {
        int w = 640, h = 220, left = 60, bottom = 40;
        StringBuilder svg = svg(w, h).append(axis(left, h - bottom, w - 20, 1.0, "AUC"));
        int group = learning.models().isEmpty() ? 0 : (w - left - 20) / learning.models().size();
        for (int i = 0; i < learning.models().size(); i++) {
            var m = learning.models().get(i);
            int x = left + i * group + 10;
            double[] v = {m.aucBefore() == null ? 0 : m.aucBefore(), m.aucAfter() == null ? 0 : m.aucAfter()};
            String[] label = {m.versionBefore(), m.candidate() == null ? "no candidate" : m.candidate()};
            for (int k = 0; k < 2; k++) {
                double bh = v[k] * (h - bottom - 20);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"40\" height=\"%.1f\" fill=\"%s\"><title>%s %.3f</title></rect>",
                        x + k * 50, h - bottom - bh, bh, k == 0 ? "#999" : "#2ca02c", escape(String.valueOf(label[k])), v[k]));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\">%s</text>", x + k * 50, h - bottom - bh - 3,
                        m.refused() != null && k == 1 ? "none" : String.format(Locale.ROOT, "%.2f", v[k])));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", x, h - bottom + 16, escape(m.model())));
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder svg(int w, int h) {
        return new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", w, h, w, h));
    }

    private static String axis(int left, int baseline, int right, double max, String label) {
        StringBuilder a = new StringBuilder();
        a.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", left, baseline, right, baseline));
        a.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", left, left, baseline));
        for (int t = 0; t <= 4; t++) {
            double v = max * t / 4;
            double y = baseline - (baseline - 20) * t / 4.0;
            a.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.1f</text>", left - 4, y + 3, v));
        }
        a.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 12 %d)\">%s</text>",
                baseline / 2 + 40, baseline / 2 + 40, label));
        return a.toString();
    }

    private static double y(double v, double max, int h, int bottom) {
        return h - bottom - nz(v) / max * (h - bottom - 20);
    }

    private static double nz(double d) {
        return Double.isNaN(d) ? 0 : d;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
