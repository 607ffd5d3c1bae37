package org.radloop.learning;

import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;
import org.radloop.model.QcResultRecord;
import org.radloop.qc.QcResultJson;

/**
 * The QC rules whose block a person overrode: what QC may be wrong about. They are read from
 * qc_result, where the QC stage keeps the override with its issues, so the learning loop holds no
 * copy of its own that could drift from it.
 */
final class OverriddenQcRules {

    /** One overridden block: the report, its study and the rule. */
    record Overridden(long reportId, String studyUid, String ruleId, String reason) {
    }

    private OverriddenQcRules() {
    }

    /** The report's overridden blocks, one per rule. */
    static List<Overridden> ofReport(Session s, long reportId) {
        return read(s.createSelectionQuery("select q, r.studyUid from QcResultRecord q, Report r where r.id = q.reportId"
                + " and q.reportId = :r and q.overrideReason is not null order by q.id", Object[].class)
                .setParameter("r", reportId).getResultList());
    }

    /** Every overridden block, oldest first. */
    static List<Overridden> all(Session s) {
        return read(s.createSelectionQuery("select q, r.studyUid from QcResultRecord q, Report r where r.id = q.reportId"
                + " and q.overrideReason is not null order by q.id", Object[].class).getResultList());
    }

    private static List<Overridden> read(List<Object[]> rows) {
        List<Overridden> out = new ArrayList<>();
        for (Object[] row : rows) {
            QcResultRecord q = (QcResultRecord) row[0];
            for (String rule : QcResultJson.blockingRules(q.getIssues())) {
                out.add(new Overridden(q.getReportId(), (String) row[1], rule, q.getOverrideReason()));
            }
        }
        return out;
    }
}
