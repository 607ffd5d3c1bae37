package org.radloop.dicom;

/** The received bytes are not a well-formed DICOM data set; carries the status to refuse it with. */
public final class MalformedDataSetException extends Exception {
    private final int status;

    public MalformedDataSetException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
