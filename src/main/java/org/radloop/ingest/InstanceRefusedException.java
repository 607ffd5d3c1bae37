package org.radloop.ingest;

/**
 * An instance that cannot be indexed as sent (unknown sender, unreadable header, missing UIDs): the
 * sender gets a failure status and the file goes to quarantine for an analyst. Not used for
 * transient failures such as an unreachable database, which the sender should simply retry.
 */
public class InstanceRefusedException extends RuntimeException {
    public InstanceRefusedException(String reason) {
        super(reason);
    }

    public InstanceRefusedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
