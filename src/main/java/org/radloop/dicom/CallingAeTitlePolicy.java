package org.radloop.dicom;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides at association time whether a peer may talk to the SCP. A refused peer gets the standard
 * A-ASSOCIATE-RJ "calling AE title not recognized" (result 1, source 1, reason 3) before any data
 * is exchanged, so an unknown modality learns at once that it is not configured here.
 */
@FunctionalInterface
public interface CallingAeTitlePolicy {

    boolean accepts(String callingAeTitle, String calledAeTitle);

    /** Any calling AE title: the default, for sites that restrict by network instead. */
    static CallingAeTitlePolicy acceptAny() {
        return (calling, called) -> true;
    }

    /** Only the listed calling AE titles (exact, case-sensitive as DICOM AE titles are). */
    static CallingAeTitlePolicy allowList(String... callingAeTitles) {
        Set<String> allowed = Arrays.stream(callingAeTitles).map(String::trim).collect(Collectors.toUnmodifiableSet());
        return (calling, called) -> allowed.contains(calling);
    }
}
