package org.radloop.triage;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of triaging one study: its urgency class, its score (the worklist order, highest
 * first), the JMS priority its messages carry on every later queue, the deadline from the
 * facility's turnaround agreement, the findings, the model results (with timings and skipped
 * reasons), and every reason that went into it.
 */
public record TriageDecision(Urgency urgency, double score, int jmsPriority, Instant deadline, boolean overdue,
                             double clinicalScore, double findingScore, int ruleScore, double ageingScore,
                             List<Finding> findings, List<ModelResult> modelResults, List<Reason> reasons) {
}
