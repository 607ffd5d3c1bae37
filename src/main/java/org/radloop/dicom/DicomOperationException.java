package org.radloop.dicom;

/** A producer operation reached the peer but did not fully succeed (refused instances, failed move). */
public class DicomOperationException extends Exception {
    public DicomOperationException(String message) {
        super(message);
    }

    public DicomOperationException(String message, Throwable cause) {
        super(message, cause);
    }
}
