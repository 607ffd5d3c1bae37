package org.radloop.qc;

import java.util.List;

/** Whether one section says what another says: the same or a related finding, affirmed, on a compatible side. */
final class FindingsAgreement {
    private FindingsAgreement() {
    }

    static boolean sidesCompatible(Side a, Side b) {
        return a == null || b == null || !a.contradicts(b);
    }

    /** An affirmed mention in {@code candidates} that carries the same (or a related) finding on a compatible side. */
    static boolean carried(ReportReading r, Mention m, List<Mention> candidates) {
        for (Mention c : candidates) {
            if (c.affirmed() && r.lexicon().related(m.concept(), c.concept()) && sidesCompatible(m.side(), c.side())) return true;
        }
        return false;
    }

    /** A mention in {@code candidates} that denies the same finding. */
    static Mention denied(ReportReading r, Mention m, List<Mention> candidates) {
        for (Mention c : candidates) {
            if (c.negated() && c.concept().equals(m.concept()) && sidesCompatible(m.side(), c.side())) return c;
        }
        return null;
    }

    static String sided(Mention m) {
        return (m.side() == null ? "" : m.side().word() + " ") + m.text();
    }
}
