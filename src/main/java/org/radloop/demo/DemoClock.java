package org.radloop.demo;

/**
 * The demo's accelerated time for the simulated people: one simulated minute of reading is
 * {@code millisPerMinute} real milliseconds. The engine itself runs on the real clock; its deadlines
 * (critical-result acknowledgement, escalation) are shortened in the demo's conf instead.
 */
record DemoClock(long millisPerMinute) {

    void sleepSimulatedMinutes(double minutes) throws InterruptedException {
        Thread.sleep(Math.max(1, Math.round(minutes * millisPerMinute)));
    }

    double toSimulatedMinutes(long realMillis) {
        return realMillis / (double) millisPerMinute;
    }
}
