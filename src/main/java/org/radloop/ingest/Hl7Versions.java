package org.radloop.ingest;

import java.util.Set;

/** The HL7 v2 versions RadLoop reads: those whose HAPI structure jars ship with it. */
final class Hl7Versions {

    static final String DEFAULT = "2.5.1";
    private static final Set<String> SUPPORTED = Set.of("2.3.1", "2.5", "2.5.1");

    private Hl7Versions() {
    }

    static boolean isSupported(String version) {
        return SUPPORTED.contains(version);
    }

    static String list() {
        return "2.3.1, 2.5, 2.5.1";
    }
}
