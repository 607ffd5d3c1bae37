package org.radloop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies of the checkout's folders (conf/, mappings/) that a test may edit without touching the real ones. */
public final class TestFolders {

    private TestFolders() {
    }

    /** Copies {@code from} with everything below it to {@code to}. */
    public static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }
}
