package org.radloop.config;

import java.nio.file.Path;

/** One thing wrong with a configuration file, said the way an analyst can act on it. */
public record ConfigProblem(Path file, int line, String field, String message) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + message;
    }
}
