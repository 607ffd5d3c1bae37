package org.radloop.qc;

import java.util.Locale;

/** The side of the body an order, a procedure, an image or a sentence is about. */
public enum Side {
    LEFT, RIGHT, BILATERAL;

    /**
     * Reads the codes the sources use: HL7 and DICOM "L"/"R"/"B" (DICOM Laterality 0020,0060 and
     * Image Laterality 0020,0062 also "U" unpaired and "B" both), or the words. Anything else is no side.
     */
    public static Side parse(String code) {
        if (code == null) return null;
        String c = code.trim().toUpperCase(Locale.ROOT);
        return switch (c) {
            case "L", "LT", "LEFT" -> LEFT;
            case "R", "RT", "RIGHT" -> RIGHT;
            case "B", "BI", "BILAT", "BILATERAL", "BOTH" -> BILATERAL;
            default -> null;
        };
    }

    /** Two sides contradict when one is left and the other right; bilateral covers either. */
    public boolean contradicts(Side other) {
        return other != null && ((this == LEFT && other == RIGHT) || (this == RIGHT && other == LEFT));
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
