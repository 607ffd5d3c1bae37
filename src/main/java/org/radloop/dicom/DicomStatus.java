package org.radloop.dicom;

/**
 * DIMSE status codes the SCP answers with (PS3.4 Annex B, PS3.7 Annex C). Kept in one place so the
 * refusal a modality sees for each kind of problem is documented and stable.
 */
public final class DicomStatus {
    private DicomStatus() {
    }

    public static final int SUCCESS = 0x0000;
    /**
     * Refused, out of resources. Used when the disk is full and when the route failed: both are
     * conditions on our side that a modality should retry later, and senders retry on A7xx.
     */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** Error: the data set does not match the SOP class (wrong class, missing required UIDs). */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** Error: cannot understand (truncated or structurally broken data set). */
    public static final int CANNOT_UNDERSTAND = 0xC000;

    public static boolean isSuccess(int status) {
        return status == SUCCESS;
    }

    public static String hex(int status) {
        return String.format("0x%04X", status);
    }
}
