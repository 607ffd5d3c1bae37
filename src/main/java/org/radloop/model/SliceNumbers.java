package org.radloop.model;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one column format for a list of slices (DICOM instance numbers), as ai_finding, added_finding
 * and training_label store it: comma-separated, empty for "the whole series". Written by triage and
 * reporting, read by the learning loop, so all of them go through here.
 */
public final class SliceNumbers {

    private SliceNumbers() {
    }

    /** "3,4,5"; empty for null or no slices. */
    public static String column(List<Integer> slices) {
        return slices == null ? "" : slices.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The instance numbers of a column value; empty for null or blank. */
    public static List<Integer> parse(String column) {
        if (column == null || column.isBlank()) return List.of();
        return Arrays.stream(column.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
    }
}
