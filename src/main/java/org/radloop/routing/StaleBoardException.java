package org.radloop.routing;

/**
 * What a routing change read has changed under it (another node assigned the case, or filled the
 * reader): its transaction rolls back and the change is run again on fresh state.
 */
final class StaleBoardException extends RuntimeException {
    StaleBoardException(String why) {
        super(why, null, false, false);
    }
}
