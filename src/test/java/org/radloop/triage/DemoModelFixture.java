package org.radloop.triage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.radloop.triage.demo.DemoModelBuilder;

/**
 * The small demonstration models, built once per test JVM (they take a couple of seconds) into a
 * temporary RadLoop layout: data/models/&lt;id&gt;/model.onnx and conf/models/&lt;id&gt;.yaml.
 */
final class DemoModelFixture {

    private static Path root;

    private DemoModelFixture() {
    }

    static synchronized Path root() {
        if (root == null) {
            try {
                Path dir = Files.createTempDirectory("radloop-demo-models");
                new DemoModelBuilder().buildAll(dir.resolve("data/models"), dir.resolve("conf/models"), DemoModelBuilderTest.SMALL);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                root = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    static Path dataDir() {
        return root().resolve("data");
    }

    /** A copy of one built model's YAML, in a models folder of the caller's own. */
    static Path copyYaml(String id, Path modelsDir) throws IOException {
        Files.createDirectories(modelsDir);
        return Files.copy(root().resolve("conf/models/" + id + ".yaml"), modelsDir.resolve(id + ".yaml"));
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort on exit; the folder is under the system temp folder.
        }
    }
}
