package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;

/**
 * critical-not-notified: the report holds a critical finding (see {@link CriticalFindingClassifier})
 * and no critical-result notification has been started. A critical finding is not done until the
 * referrer has acknowledged it; sign-off must not be where it stops. Findings the report calls
 * already known need none (parameter ignoreKnownFindings), nor categories above maxCategory.
 */
public final class CriticalNotificationCheck implements QcCheck {
    private final CriticalFindingClassifier classifier;
    private final boolean ignoreKnown;
    private final int maxCategory;

    public CriticalNotificationCheck(RuleParameters p, CriticalFindingClassifier classifier) {
        this.classifier = classifier;
        this.ignoreKnown = p.bool("ignoreKnownFindings", true);
        this.maxCategory = p.integer("maxCategory", 3);
    }

    @Override
    public List<Flag> check(ReportReading r) {
        List<Flag> out = new ArrayList<>();
        if (r.report().criticalNotificationStarted()) return out;
        for (CriticalFinding f : classifier.classify(r)) {
            if (f.category() > maxCategory || (ignoreKnown && f.known())) continue;
            String from = f.source() == CriticalFinding.Source.CONFIRMED_AI ? "a confirmed AI finding" : "the report";
            out.add(new Flag(f.span(), f.name() + " (" + from + ") is an ACR category " + f.category()
                    + " critical result and no critical-result notification has been started. Start one before signing"
                    + (f.deadline() == null ? "." : "; it must be acknowledged within " + human(f.deadline()) + ".")));
        }
        return out;
    }

    static String human(java.time.Duration d) {
        if (d.toDays() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) return d.toDays() + " days";
        if (d.toHours() > 1 && d.toMinutesPart() == 0) return d.toHours() + " hours";
        return d.toMinutes() + " minutes";
    }
}
