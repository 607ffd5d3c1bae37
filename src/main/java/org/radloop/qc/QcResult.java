package org.radloop.qc;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The verdict on one report and every issue behind it. */
public record QcResult(QcVerdict verdict, List<QcIssue> issues) {

    public static QcResult of(List<QcIssue> issues) {
        QcVerdict v = QcVerdict.PASS;
        for (QcIssue i : issues) {
            if (i.severity() == Severity.BLOCK) {
                v = QcVerdict.BLOCK;
                break;
            }
            v = QcVerdict.WARN;
        }
        return new QcResult(v, List.copyOf(issues));
    }

    /** The ids of the rules that raised at least one issue. */
    public Set<String> firedRules() {
        Set<String> s = new LinkedHashSet<>();
        issues.forEach(i -> s.add(i.ruleId()));
        return s;
    }

    public List<QcIssue> issuesOf(String ruleId) {
        return issues.stream().filter(i -> i.ruleId().equals(ruleId)).toList();
    }
}
