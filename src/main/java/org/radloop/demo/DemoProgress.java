package org.radloop.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.radloop.engine.RadLoopEngine;

/**
 * The live progress line: how many studies each stage has seen, read from the engine's store
 * (received, triaged, assigned), from the simulators (signed, delivered to the RIS) and from the
 * critical-results table. Printed when it changes.
 */
final class DemoProgress implements Runnable {

    /** One reading of every counter. */
    record Snapshot(int planned, long received, long triaged, long assigned, int signed, long qcPassed, long qcBlocked,
                    long qcWarnings, int delivered, long criticalSent, long criticalAcked, long criticalEscalated,
                    long criticalOpen) {
    }

    private final RadLoopEngine engine;
    private final List<DemoStudy> studies;
    private final List<SimulatedRis> ris;
    private final SimulatedClinicians clinicians;
    private final PrintStream out;
    private final boolean deliveryWired;
    private volatile boolean stopped;
    private volatile Snapshot last;
    private String lastLine = "";

    DemoProgress(RadLoopEngine engine, List<DemoStudy> studies, List<SimulatedRis> ris, SimulatedClinicians clinicians,
                 PrintStream out, boolean deliveryWired) {
        this.engine = engine;
        this.studies = studies;
        this.ris = ris;
        this.clinicians = clinicians;
        this.out = out;
        this.deliveryWired = deliveryWired;
    }

    /** Whether a route consumes radloop.qc in this engine, i.e. signed reports go on to QC and delivery. */
    static boolean deliveryWired(RadLoopEngine engine) {
        return engine.camel().getRoutes().stream()
                .anyMatch(r -> r.getEndpoint().getEndpointUri().contains("radloop.qc"));
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                printLine(false);
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The store may be closing at the end of the demo.
            }
        }
    }

    synchronized void printLine(boolean force) {
        Snapshot s = snapshot();
        String line = String.format("[demo] received %d/%d | triaged %d | assigned %d | signed %d | QC passed %s blocked %s"
                        + " | delivered %s | critical sent %d acked %d escalated %d",
                s.received(), s.planned(), s.triaged(), s.assigned(), s.signed(),
                deliveryWired ? Long.toString(s.qcPassed()) : "-", deliveryWired ? Long.toString(s.qcBlocked()) : "-",
                deliveryWired ? Integer.toString(s.delivered()) : "n/a", s.criticalSent(), s.criticalAcked(), s.criticalEscalated());
        if (force || !line.equals(lastLine)) out.println(line);
        lastLine = line;
    }

    boolean allDone() {
        Snapshot s = snapshot();
        return s.planned() > 0 && s.signed() == s.planned() && (!deliveryWired || s.delivered() == s.planned());
    }

    long criticalOpen() {
        return snapshot().criticalOpen();
    }

    Snapshot snapshot() {
        List<DemoStudy> all;
        synchronized (studies) {
            all = new ArrayList<>(studies);
        }
        int signed = (int) all.stream().filter(x -> x.signedAt != null).count();
        int delivered = (int) all.stream().filter(x -> ris.stream().anyMatch(r -> r.resultReceived(x.accession()) != null)).count();
        long received = count("select count(*) from Study where facilityId like 'demo-%'");
        long triaged = count("select count(distinct studyUid) from TriageRecord");
        long assigned = count("select count(*) from ReadingCase where radiologistId is not null");
        long sent = count("select count(*) from CriticalResultRecord");
        long acked = count("select count(*) from CriticalResultRecord where state = 'ACKNOWLEDGED'");
        long open = count("select count(*) from CriticalResultRecord where state = 'OPEN'");
        long escalated = count("select count(*) from CriticalResultRecord where step > 0");
        QcCounts qc = qcCounts();
        last = new Snapshot(all.size(), received, triaged, assigned, signed, qc.passed, qc.blocked, qc.warnings, delivered,
                sent, acked, escalated, open);
        return last;
    }

    private record QcCounts(long passed, long blocked, long warnings) {
    }

    /** QC outcomes, when the QC stage is connected (qc_result); zero on a build where QC does not run. */
    private QcCounts qcCounts() {
        long passed = count("select count(*) from QcResultRecord where state <> 'BLOCKED' and verdict = 'PASS'");
        long warnings = count("select count(*) from QcResultRecord where verdict = 'WARN'");
        long blocked = count("select count(*) from QcResultRecord where state in ('BLOCKED', 'OVERRIDDEN')");
        return new QcCounts(passed + warnings, blocked, warnings);
    }

    private long count(String hql) {
        try {
            Long n = engine.store().fromTransaction(s -> s.createSelectionQuery(hql, Long.class).getSingleResult());
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
