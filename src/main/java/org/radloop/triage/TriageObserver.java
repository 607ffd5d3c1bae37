package org.radloop.triage;

/**
 * Told of every triage decision after it is recorded, outside its transaction. The learning loop's
 * shadow mode is one: it runs candidate model versions on the same study without affecting the
 * decision. An observer must not throw; the triage stage logs and ignores it if one does.
 */
@FunctionalInterface
public interface TriageObserver {

    TriageObserver NONE = (studyUid, facts, decision) -> { };

    void triaged(String studyUid, StudyFacts facts, TriageDecision decision);
}
