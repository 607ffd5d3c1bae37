package org.radloop.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.radloop.triage.demo.DemoModelBuilder;

/**
 * The demo's own configuration: a copy of the project's conf/ in the demo's data folder with the
 * three simulated facilities, a roster of demo radiologists on shift around the clock, and the two
 * demonstration models rebuilt deliberately weak (trained on a handful of phantoms for one epoch),
 * so that the radiologists' corrections have something to teach. The project's conf/ is never changed.
 */
final class DemoConf {

    /** Phantom size for the demo's studies and its weak models (small: the demo runs on two cores). */
    static final int IMAGE_SIZE = 64;
    static final int CT_SLICES = 8;

    private DemoConf() {
    }

    static Path write(Path projectHome, Path dataDir, List<DemoFacility> facilities, List<DemoReader> readers,
                      int weakTrainCases, String pagerUrl, long millisPerMinute) throws IOException {
        Path conf = dataDir.resolve("conf");
        copyTree(projectHome.resolve("conf"), conf);
        // Only the demo's facilities and directories: the example ones would need peers that do not run here.
        clear(conf.resolve("facilities"));
        clear(conf.resolve("directory"));
        for (DemoFacility f : facilities) Files.writeString(conf.resolve("facilities/" + f.id() + ".yaml"), f.yaml());
        Files.writeString(conf.resolve("radiologists.yaml"), DemoReader.rosterYaml(readers, facilities));
        for (DemoFacility f : facilities) Files.writeString(conf.resolve("directory/" + f.id() + ".yaml"), directoryYaml(f, pagerUrl, millisPerMinute));
        Files.writeString(conf.resolve("critical-results.yaml"), criticalResultsYaml(millisPerMinute));
        new DemoModelBuilder().buildAll(dataDir.resolve("models"), conf.resolve("models"),
                new DemoModelBuilder.Options(weakTrainCases, 60, IMAGE_SIZE, 20_241_201L, 1));
        return conf;
    }

    /**
     * A clinical deadline of {@code minutes} simulated minutes, in whole real minutes: the schema takes
     * minutes as its smallest unit, so 1m is as short as a deadline gets (it is many simulated minutes).
     */
    static String deadline(double minutes, long millisPerMinute) {
        return Math.max(1, Math.round(minutes * millisPerMinute / 60_000.0)) + "m";
    }

    /** The ACR categories with their deadlines on the demo's accelerated time (15 min, 4 h, 3 days simulated). */
    static String criticalResultsYaml(long ms) {
        return """
                # Written by `radloop demo`: the ACR deadlines on the demo's accelerated time (1 simulated minute = %d ms).
                categories:
                  "1": {name: "Critical - communicate within minutes", acknowledgeWithin: %s}
                  "2": {name: "Urgent - communicate within hours", acknowledgeWithin: %s}
                  "3": {name: "Significant, not urgent - communicate within days", acknowledgeWithin: %s}
                linkValidity: 7d
                send: {attempts: 3, retryAfter: 30s}
                knownFindingTerms: [unchanged, stable, previously communicated, previously reported, known]
                """.formatted(ms, deadline(15, ms), deadline(60, ms), deadline(240, ms));
    }

    /** The facility's referring clinicians (the order's provider 1234 and cover) on the demo pager gateway. */
    static String directoryYaml(DemoFacility f, String pagerUrl, long ms) {
        return """
                # Written by `radloop demo`: simulated clinicians, paged through the demo's loopback gateway.
                facility: %s
                sms:
                  webhookUrl: %s
                links:
                  confirm: false
                clinicians:
                  - id: "1234"
                    name: Dr Gregory House (simulated referring clinician)
                    pager: "+15550001234"
                    coveredBy: "1235"
                  - id: "1235"
                    name: Dr Lisa Cuddy (simulated covering clinician)
                    pager: "+15550001235"
                  - id: "1900"
                    name: Dr Eric Foreman (simulated department head)
                    pager: "+15550001900"
                escalation:
                  - step: ordering-clinician
                  - step: covering-clinician
                    acknowledgeWithin: %s
                  - step: department-head
                    clinician: "1900"
                    acknowledgeWithin: %s
                """.formatted(f.id(), pagerUrl, deadline(15, ms), deadline(15, ms));
    }

    private static void clear(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
