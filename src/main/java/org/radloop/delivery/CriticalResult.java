package org.radloop.delivery;

/**
 * A critical finding of a signed report, as the QC stage hands it to {@link CriticalResultNotifier#open}.
 *
 * @param reportId             the report's id (one report may carry several findings: one call each)
 * @param facilityId           the facility of the order
 * @param accessionNumber      the order's accession number (shown to the clinician)
 * @param studyUid             Study Instance UID, for the timeline
 * @param category             ACR actionable-finding category: 1 (minutes), 2 (hours), 3 (days)
 * @param finding              the finding as the report states it
 * @param orderingClinicianId  the ordering provider's id from the order ({@link #clinicianId})
 * @param signingRadiologistId the radiologist who signed the report (the "radiologist to phone" step)
 */
public record CriticalResult(String reportId, String facilityId, String accessionNumber, String studyUid, int category,
                             String finding, String orderingClinicianId, String signingRadiologistId) {

    public CriticalResult {
        if (reportId == null || reportId.isBlank()) throw new IllegalArgumentException("a critical result needs the report id");
        if (facilityId == null || facilityId.isBlank()) throw new IllegalArgumentException("a critical result needs the facility");
        if (category < 1 || category > 3) throw new IllegalArgumentException("ACR category must be 1, 2 or 3, not " + category);
        if (finding == null || finding.isBlank()) throw new IllegalArgumentException("a critical result needs the finding text");
        if (finding.length() > 2000) finding = finding.substring(0, 1997) + "...";
    }

    /**
     * The clinician id in an order's ordering provider as ingest stores it ("Family, Given [ID]", or the
     * bare id when the RIS sent no name), or null.
     */
    public static String clinicianId(String orderingProvider) {
        if (orderingProvider == null || orderingProvider.isBlank()) return null;
        String p = orderingProvider.trim();
        int open = p.lastIndexOf('[');
        if (open >= 0 && p.endsWith("]")) return p.substring(open + 1, p.length() - 1).trim();
        return p.contains(",") || p.contains(" ") ? null : p;
    }
}
