package org.radloop.ingest;

import java.nio.charset.Charset;

/**
 * One inbound HL7 message as text, with how it was decoded and where it came from.
 *
 * @param replayOfId the stored message this is a replay of, or null for live traffic
 */
record Received(String text, Charset charset, int sizeBytes, String remoteAddress, Long replayOfId) {

    /** Decodes MLLP payload bytes per MSH-18 (see {@link Hl7Charsets}). */
    static Received fromBytes(byte[] bytes, String remoteAddress) {
        int end = 0;
        while (end < bytes.length && end < 4096 && bytes[end] != '\r' && bytes[end] != '\n') end++;
        MshHeader head = MshHeader.read(new String(bytes, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1));
        Charset cs = null;
        if (head != null && !Hl7Charsets.isUndeclared(head.characterSet())) cs = Hl7Charsets.forMsh18(head.characterSet());
        if (cs == null) cs = Hl7Charsets.sniff(bytes);
        return new Received(new String(bytes, cs), cs, bytes.length, remoteAddress, null);
    }
}
