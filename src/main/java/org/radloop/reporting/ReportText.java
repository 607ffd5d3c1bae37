package org.radloop.reporting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** A report version's sections as stored (JSON) and as plain text (what a RIS or a PDF shows). */
public final class ReportText {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Section>> SECTIONS = new TypeReference<>() { };

    private ReportText() {
    }

    public static String write(List<Section> sections) {
        try {
            return JSON.writeValueAsString(sections);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Section> read(String json) {
        try {
            return new ArrayList<>(JSON.readValue(json, SECTIONS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored report sections are not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Headings and text; organ sections under one FINDINGS heading, template text marked "[template]". */
    public static String plain(String title, List<Section> sections) {
        StringBuilder b = new StringBuilder(title == null ? "" : title + "\n\n");
        String group = null;
        for (Section s : sections) {
            if (s.id().contains(".")) {
                if (!s.group().equals(group)) b.append(s.group().toUpperCase(java.util.Locale.ROOT)).append(":\n");
                b.append(s.title()).append(": ");
            } else {
                b.append(s.title().toUpperCase(java.util.Locale.ROOT)).append(":\n");
            }
            group = s.group();
            if (Section.TEMPLATE.equals(s.origin())) b.append("[template] ");
            b.append(s.text() == null ? "" : s.text()).append("\n");
            if (!s.id().contains(".")) b.append("\n");
        }
        return b.toString().trim();
    }
}
