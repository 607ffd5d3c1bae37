package org.radloop.demo;

import java.util.List;
import java.util.stream.Collectors;

/** A simulated radiologist: roster entry and how fast they read (simulated minutes per case). */
record DemoReader(String id, String name, List<String> subspecialties, double minutesPerCtHead, double minutesPerChest) {

    static String rosterYaml(List<DemoReader> readers, List<DemoFacility> facilities) {
        String privileges = facilities.stream().map(DemoFacility::id).collect(Collectors.joining(", "));
        StringBuilder sb = new StringBuilder("""
                # Written by `radloop demo`: simulated radiologists, on shift around the clock.
                policy:
                  generalCoverAfterMinutes: {critical: 0, urgent: 30, routine: 120}
                  openWithinMinutes: {critical: 60, urgent: 120, routine: 480}
                  onCall: [{radiologist: %s, name: Demo on-call reader, pager: "+15550009999"}]
                radiologists:
                """.formatted(readers.get(0).id()));
        for (DemoReader r : readers) {
            sb.append("  - id: ").append(r.id()).append('\n')
                    .append("    name: ").append(r.name()).append('\n')
                    .append("    subspecialties: [").append(String.join(", ", r.subspecialties())).append("]\n")
                    .append("    privileges: [").append(privileges).append("]\n")
                    .append("    licences: [DEMO]\n")
                    .append("    timeZone: UTC\n")
                    .append("    shifts: [{days: [MON, TUE, WED, THU, FRI, SAT, SUN], start: \"00:00\", end: \"23:59\"}]\n")
                    .append("    maxOpenCases: 200\n")
                    .append("    rvuPerHour: 1000\n");
        }
        return sb.toString();
    }
}
