package org.radloop.qc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.radloop.model.QcResultRecord;

/** A report's QC results as the API shows them (in {@code GET /api/reports/{id}}), newest version first. */
public final class QcResultView {

    private QcResultView() {
    }

    public static List<Map<String, Object>> forReport(Session s, long reportId) {
        return s.createSelectionQuery("from QcResultRecord where reportId = :r order by reportVersion desc", QcResultRecord.class)
                .setParameter("r", reportId).list().stream().map(QcResultView::of).toList();
    }

    static Map<String, Object> of(QcResultRecord q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", q.getReportVersion());
        m.put("verdict", q.getVerdict());
        m.put("state", q.getState().name());
        m.put("checkedAt", q.getCheckedAt().toString());
        m.put("issues", QcResultJson.tree(q.getIssues()));
        m.put("criticalFindings", QcResultJson.tree(q.getCriticalFindings()));
        if (q.getOverriddenAt() != null) {
            m.put("override", Map.of("by", q.getOverrideBy(), "reason", q.getOverrideReason(), "at", q.getOverriddenAt().toString()));
        }
        return m;
    }
}
