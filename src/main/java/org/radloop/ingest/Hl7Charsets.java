package org.radloop.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * MSH-18 (HL7 table 0211) to a Java charset, so that a name such as "Müller" arrives as the sender
 * wrote it. Senders spell the same set many ways ("8859/1", "ISO IR100", "ISO_IR 100"), so names are
 * compared without spaces, dashes and underscores.
 *
 * <p>An empty MSH-18 (or "ASCII") officially means 7-bit ASCII, yet many RIS send Latin-1 or UTF-8
 * bytes without saying so. Such bytes are read as UTF-8 when they are valid UTF-8 and as ISO 8859-1
 * otherwise: both keep every byte, and ASCII is a subset of both.
 */
final class Hl7Charsets {

    private static final Map<String, Charset> BY_NAME = new HashMap<>();

    static {
        put(StandardCharsets.ISO_8859_1, "8859/1", "ISOIR100", "ISO88591", "LATIN1");
        put("ISO-8859-2", "8859/2", "ISOIR101", "ISO88592");
        put("ISO-8859-3", "8859/3", "ISOIR109", "ISO88593");
        put("ISO-8859-4", "8859/4", "ISOIR110", "ISO88594");
        put("ISO-8859-5", "8859/5", "ISOIR144", "ISO88595");
        put("ISO-8859-6", "8859/6", "ISOIR127", "ISO88596");
        put("ISO-8859-7", "8859/7", "ISOIR126", "ISO88597");
        put("ISO-8859-8", "8859/8", "ISOIR138", "ISO88598");
        put("ISO-8859-9", "8859/9", "ISOIR148", "ISO88599");
        put("ISO-8859-15", "8859/15", "ISOIR203", "ISO885915");
        put(StandardCharsets.UTF_8, "UNICODEUTF8", "UTF8", "ISOIR192");
        put(StandardCharsets.UTF_16, "UNICODE", "UNICODEUTF16", "UTF16");
        put("UTF-32", "UNICODEUTF32", "UTF32");
        put("GB18030", "GB18030");
        put("Big5", "BIG5");
        put("ISO-2022-JP", "ISOIR87", "ISO20221994");
        put("EUC-KR", "KSX1001", "ISOIR149");
    }

    private Hl7Charsets() {
    }

    private static void put(String javaName, String... names) {
        if (Charset.isSupported(javaName)) put(Charset.forName(javaName), names);
    }

    private static void put(Charset cs, String... names) {
        for (String n : names) BY_NAME.put(n, cs);
    }

    /** True when MSH-18 names no character set or plain ASCII: the bytes decide (see class comment). */
    static boolean isUndeclared(String msh18) {
        if (msh18 == null || msh18.isBlank()) return true;
        String n = normalise(msh18);
        return n.equals("ASCII") || n.equals("ISOIR6");
    }

    /** The charset MSH-18 names, or null when the name is not one RadLoop knows (table 0211). */
    static Charset forMsh18(String msh18) {
        return BY_NAME.get(normalise(msh18));
    }

    private static String normalise(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '-' && c != '_') b.append(Character.toUpperCase(c));
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }

    /** Bytes of an undeclared message: ASCII as is, else UTF-8 when valid, else Latin-1. */
    static Charset sniff(byte[] bytes) {
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) return StandardCharsets.US_ASCII;
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
