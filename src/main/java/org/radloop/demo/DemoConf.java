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
                      int weakTrainCases) throws IOException {
        Path conf = dataDir.resolve("conf");
        copyTree(projectHome.resolve("conf"), conf);
        // Only the demo's facilities and directories: the example ones would need peers that do not run here.
        clear(conf.resolve("facilities"));
        clear(conf.resolve("directory"));
        for (DemoFacility f : facilities) Files.writeString(conf.resolve("facilities/" + f.id() + ".yaml"), f.yaml());
        Files.writeString(conf.resolve("radiologists.yaml"), DemoReader.rosterYaml(readers, facilities));
        new DemoModelBuilder().buildAll(dataDir.resolve("models"), conf.resolve("models"),
                new DemoModelBuilder.Options(weakTrainCases, 60, IMAGE_SIZE, 20_241_201L, 1));
        return conf;
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
