package org.radloop.ingest;

/**
 * Which acknowledgement a sender asked for. Original mode (MSH-15 and MSH-16 both empty): one
 * application ACK, AA / AE / AR. Enhanced mode (either set): a commit ACK (CA / CE / CR) when MSH-15
 * asks for one, otherwise an application ACK when MSH-16 asks for one, otherwise none. Each field
 * says AL (always), NE (never), ER (only on error) or SU (only on success).
 *
 * <p>RadLoop validates a message completely before it commits it, so its commit ACK already tells
 * content errors (CE) and rejections (CR) apart. MLLP gives one reply per message and RadLoop has no
 * return channel to a RIS for a second one, so when a sender asks for both, the commit ACK is sent
 * and the application outcome stays on the stored message record.
 */
final class AcknowledgementMode {

    /** How a message ended, whatever the mode. */
    enum Outcome { ACCEPTED, ERROR, REJECTED }

    private AcknowledgementMode() {
    }

    /** The MSA-1 code to send, or null when the sender asked for no acknowledgement in this case. */
    static String code(String acceptAckType, String applicationAckType, Outcome outcome) {
        if (acceptAckType == null && applicationAckType == null) return 'A' + suffix(outcome);
        String accept = acceptAckType == null ? "AL" : acceptAckType;
        if (wants(accept, outcome)) return 'C' + suffix(outcome);
        if (applicationAckType != null && wants(applicationAckType, outcome)) return 'A' + suffix(outcome);
        return null;
    }

    private static boolean wants(String condition, Outcome outcome) {
        return switch (condition.toUpperCase(java.util.Locale.ROOT)) {
            case "NE" -> false;
            case "ER" -> outcome != Outcome.ACCEPTED;
            case "SU" -> outcome == Outcome.ACCEPTED;
            default -> true; // AL, and anything unrecognised: answering is the safe side
        };
    }

    private static String suffix(Outcome outcome) {
        return switch (outcome) {
            case ACCEPTED -> "A";
            case ERROR -> "E";
            case REJECTED -> "R";
        };
    }
}
