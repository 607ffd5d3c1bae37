package org.radloop.routing;

import java.time.Instant;
import org.radloop.config.RadiologistConfig;

/**
 * One radiologist as the decision sees them now: who they are, whether they are reading (and since
 * when, for fairness over the shift), and their current work.
 *
 * @param onShift          on shift and not away
 * @param offShiftReason   why not, when not (e.g. "away", "no shift covers now")
 * @param shiftStart       when the current shift began (null when off shift)
 * @param openCases        assigned, unsigned cases
 * @param openRvu          their work in RVUs
 * @param shiftRvu         RVUs assigned to them since the shift began
 * @param displaceableCase an assigned, unopened, non-critical case that a critical one may push back
 *                         to the shared queue when they are full (null when none)
 */
public record ReaderState(RadiologistConfig config, boolean onShift, String offShiftReason, Instant shiftStart,
                          int openCases, double openRvu, double shiftRvu, Long displaceableCase) {

    public String id() {
        return config.id();
    }

    /** Full: as many open cases as allowed, or an hour of open work at their reading rate. */
    public boolean isFull() {
        return openCases >= config.maxOpenCases() || openRvu >= config.rvuPerHour();
    }

    public ReaderState plus(double rvu) {
        return new ReaderState(config, onShift, offShiftReason, shiftStart, openCases + 1, openRvu + rvu, shiftRvu + rvu, displaceableCase);
    }

    public ReaderState minus(double rvu) {
        return new ReaderState(config, onShift, offShiftReason, shiftStart, Math.max(0, openCases - 1),
                Math.max(0, openRvu - rvu), shiftRvu, displaceableCase);
    }
}
