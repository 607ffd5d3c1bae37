package org.radloop.ingest;

import ca.uhn.hl7v2.ErrorCode;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds ACK messages as text. Written by hand rather than through HAPI's generateACK: an ACK is
 * three short segments, and building it directly keeps reflection and object trees off the path
 * every message waits on.
 *
 * <p>The ACK uses the standard delimiters ({@code |^~\&}), echoes the sender's version and MSH-18,
 * names RadLoop in MSH-3/MSH-4 (settings radloop.hl7.application / radloop.hl7.facility) and the
 * sender in MSH-5/MSH-6, and carries the original MSH-10 in MSA-2.
 */
final class AckMessage {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");
    /** ACK control ids: a start-time prefix and a counter, unique per process and across restarts. */
    private static final String PREFIX = "RL" + Long.toString(System.currentTimeMillis(), 36).toUpperCase(java.util.Locale.ROOT);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String application;
    private final String facility;

    AckMessage(String application, String facility) {
        this.application = application;
        this.facility = facility;
    }

    /**
     * @param msh    the incoming header, or null when the message had none
     * @param code   MSA-1 (AA, AE, AR, CA, CE, CR)
     * @param error  what went wrong, or null for an accept
     */
    String build(MshHeader msh, String code, Hl7Rejection error) {
        String version = msh != null && msh.version() != null && Hl7Versions.isSupported(msh.version()) ? msh.version() : Hl7Versions.DEFAULT;
        StringBuilder b = new StringBuilder(256);
        b.append("MSH|^~\\&|").append(esc(application)).append('|').append(esc(facility)).append('|');
        if (msh != null) b.append(esc(msh.sendingApplication())).append('|').append(esc(msh.sendingFacility()));
        else b.append('|');
        b.append('|').append(ZonedDateTime.now().format(TS)).append("||ACK");
        if (msh != null && msh.triggerEvent() != null) b.append('^').append(esc(msh.triggerEvent())).append("^ACK");
        b.append('|').append(PREFIX).append(SEQUENCE.incrementAndGet());
        b.append('|').append(msh != null && msh.processingId() != null ? esc(msh.processingId()) : "P");
        b.append('|').append(version);
        if (msh != null && msh.characterSet() != null) b.append("||||||").append(esc(msh.characterSet()));
        b.append('\r');
        b.append("MSA|").append(code).append('|').append(msh == null ? "" : esc(msh.controlId()));
        if (error != null) b.append('|').append(esc(error.getMessage()));
        b.append('\r');
        if (error != null) appendErr(b, version, error);
        return b.toString();
    }

    private static void appendErr(StringBuilder b, String version, Hl7Rejection error) {
        ErrorCode code = error.code();
        ErrorLocation at = error.location();
        if (version.equals("2.3.1")) {
            // ERR-1 (ELD): segment ^ sequence ^ field ^ code&text&HL70357
            b.append("ERR|");
            if (at != null) b.append(at.segment()).append('^').append(at.sequence()).append('^').append(at.field() > 0 ? at.field() : "");
            else b.append("^^");
            b.append('^').append(code.getCode()).append('&').append(esc(code.getMessage())).append("&HL70357\r");
        } else {
            // ERR-2 location, ERR-3 code, ERR-4 severity, ERR-8 user message
            b.append("ERR||").append(at == null ? "" : at.erl()).append('|')
                    .append(code.getCode()).append('^').append(esc(code.getMessage())).append("^HL70357|E||||")
                    .append(esc(error.getMessage())).append('\r');
        }
    }

    /** HL7 escaping for the standard delimiters. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '|' -> "\\F\\";
                case '^' -> "\\S\\";
                case '~' -> "\\R\\";
                case '\\' -> "\\E\\";
                case '&' -> "\\T\\";
                case '\r', '\n' -> " ";
                default -> null;
            };
            if (rep != null && b == null) b = new StringBuilder(s.length() + 8).append(s, 0, i);
            if (b != null) {
                if (rep != null) b.append(rep);
                else b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
