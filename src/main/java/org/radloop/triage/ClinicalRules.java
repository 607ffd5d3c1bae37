package org.radloop.triage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules half of triage: what the order and the DICOM descriptions say about urgency, from the
 * lexicon in {@code mappings/triage-lexicon.yaml}. Pure logic; every match becomes a {@link Reason}.
 *
 * <p>Rule score R = min(79, T + P + E) where T is the highest points of the matched topics (topics
 * do not add up: "stroke" and "CVA" in one request are one concern), P the order priority's points
 * and E the patient class's (or, when the location is an emergency department, the emergency class's).
 * The cap at 79 keeps rules below the critical band: only an image finding makes a study critical.
 */
public final class ClinicalRules {

    /** The highest rule score: rules alone make a study urgent at most. */
    public static final int MAX_RULE_SCORE = 79;

    /** The rule score and the reasons behind it. */
    public record Outcome(int score, List<Reason> reasons) {
    }

    private final TriageLexicon lexicon;

    public ClinicalRules(TriageLexicon lexicon) {
        this.lexicon = lexicon;
    }

    /**
     * @param descriptions study and series descriptions and protocol names from the DICOM headers
     */
    public Outcome evaluate(OrderFacts order, List<String> descriptions) {
        OrderFacts o = order == null ? OrderFacts.none() : order;
        List<Reason> reasons = new ArrayList<>();
        int topic = 0;
        for (TriageLexicon.Topic t : lexicon.topics()) {
            String why = topicMatch(t, o, descriptions == null ? List.of() : descriptions);
            if (why != null) {
                reasons.add(new Reason(Reason.Kind.RULE, "lexicon:" + t.name(), why, t.points()));
                topic = Math.max(topic, t.points());
            }
        }
        int priority = lexicon.orderPriorityPoints(o.priority());
        if (o.priority() != null && !o.priority().isBlank()) {
            String p = o.priority().trim().toUpperCase(Locale.ROOT);
            if (priority > 0) reasons.add(new Reason(Reason.Kind.RULE, "order-priority:" + p, "Order priority " + p, priority));
        }
        int context = 0;
        TriageLexicon.PatientClass pc = lexicon.patientClass(o.patientClass());
        if (lexicon.isEmergencyLocation(o.patientLocation())) {
            TriageLexicon.PatientClass emergency = lexicon.emergencyClass();
            if (emergency != null && (pc == null || emergency.points() > pc.points())) pc = emergency;
            reasons.add(new Reason(Reason.Kind.RULE, "location:emergency",
                    "Patient located in the emergency department", 0));
        }
        if (pc != null && pc.points() > 0) {
            context = pc.points();
            reasons.add(new Reason(Reason.Kind.RULE, "patient-class:" + pc.name(), "Patient class " + pc.name(), pc.points()));
        }
        int score = Math.min(MAX_RULE_SCORE, topic + priority + context);
        return new Outcome(score, List.copyOf(reasons));
    }

    private static String topicMatch(TriageLexicon.Topic t, OrderFacts o, List<String> descriptions) {
        if (o.reasonForExam() != null) {
            for (Pattern p : t.terms()) {
                var m = p.matcher(o.reasonForExam());
                if (m.find()) return "Reason for exam mentions '" + m.group() + "' (" + t.name() + ")";
            }
        }
        for (String code : o.diagnosisCodes()) {
            String c = code == null ? "" : code.trim().toUpperCase(Locale.ROOT);
            for (String prefix : t.icd10Prefixes()) {
                if (!c.isEmpty() && (c.startsWith(prefix) || c.replace(".", "").startsWith(prefix.replace(".", "")))) {
                    return "Diagnosis code " + c + " (" + t.name() + ")";
                }
            }
        }
        for (String d : descriptions) {
            if (d == null) continue;
            for (Pattern p : t.protocols()) {
                if (p.matcher(d).find()) return "Study protocol '" + d.trim() + "' (" + t.name() + ")";
            }
        }
        return null;
    }
}
