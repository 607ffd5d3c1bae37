package org.radloop.qc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a QC result is kept in qc_result: its issues and its critical findings as JSON, written by the
 * stage, read back by the API, by a release (which opens the critical results it recorded) and by
 * the learning loop (which rules an override overruled).
 */
public final class QcResultJson {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A critical finding as recorded: enough to open its critical result later (after an override). */
    record Critical(String id, String name, int category, boolean known, String source, String text) {
    }

    private QcResultJson() {
    }

    static String issues(List<QcIssue> issues) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (QcIssue i : issues) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", i.ruleId());
            m.put("severity", i.severity().name().toLowerCase(java.util.Locale.ROOT));
            if (i.span() == null) {
                m.put("span", null);
            } else {
                Map<String, Object> span = new LinkedHashMap<>();
                span.put("section", i.span().section());
                span.put("start", i.span().start());
                span.put("end", i.span().end());
                span.put("text", i.span().text());
                m.put("span", span);
            }
            m.put("explanation", i.explanation());
            out.add(m);
        }
        return write(out);
    }

    /** The rules that blocked, each once, from issues as {@link #issues} wrote them; none for null. */
    public static List<String> blockingRules(String issues) {
        List<String> rules = new ArrayList<>();
        try {
            for (JsonNode issue : JSON.readTree(issues == null ? "[]" : issues)) {
                if ("block".equals(issue.path("severity").asText())) rules.add(issue.path("rule").asText());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("QC issues are not JSON: " + e.getOriginalMessage(), e);
        }
        return rules.stream().distinct().toList();
    }

    static String criticals(List<CriticalFinding> findings) {
        List<Critical> out = new ArrayList<>();
        for (CriticalFinding f : findings) {
            String text = f.span() != null && f.span().text() != null && !f.span().text().isBlank() ? f.span().text() : f.name();
            out.add(new Critical(f.id(), f.name(), f.category(), f.known(), f.source().name(), text));
        }
        return write(out);
    }

    static List<Critical> readCriticals(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<Critical>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable critical findings in qc_result: " + e.getOriginalMessage(), e);
        }
    }

    static Object tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
