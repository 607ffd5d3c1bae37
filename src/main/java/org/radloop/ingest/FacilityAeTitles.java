package org.radloop.ingest;

import org.radloop.config.FacilityRegistry;

/**
 * Which DICOM associations the storage SCP accepts: a calling AE title listed by a configured
 * facility ({@code dicom.callingAeTitles}, compared without case) that calls RadLoop's own AE title.
 * Read at each association, so a facility file added or changed takes effect without a restart.
 */
public final class FacilityAeTitles implements org.radloop.dicom.CallingAeTitlePolicy {

    private final FacilityRegistry facilities;
    private final String ownAeTitle;

    public FacilityAeTitles(FacilityRegistry facilities, String ownAeTitle) {
        this.facilities = facilities;
        this.ownAeTitle = ownAeTitle == null ? null : ownAeTitle.trim();
    }

    @Override
    public boolean accepts(String callingAe, String calledAe) {
        if (callingAe == null || callingAe.isBlank()) return false;
        if (ownAeTitle != null && !ownAeTitle.isEmpty()
                && (calledAe == null || !ownAeTitle.equalsIgnoreCase(calledAe.trim()))) return false;
        return facilities.byCallingAeTitle(callingAe.trim()).isPresent();
    }
}
