package org.radloop.reporting;

/**
 * One section of a report version. Findings have one section per organ ({@code findings.<organ>}).
 *
 * @param origin where the text came from: {@code template} (normal template text, not yet read by a
 *               radiologist), {@code order}, {@code dicom}, {@code priors}, {@code ai}, {@code radiologist}
 *               (edited through the API) or {@code hl7} (signed in the radiologist's own system)
 */
public record Section(String id, String title, String text, String origin) {

    public static final String TEMPLATE = "template";

    public Section withText(String newText, String newOrigin) {
        return new Section(id, title, newText, newOrigin);
    }

    /** The top-level section this belongs to: "findings" for "findings.brain". */
    public String group() {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }
}
