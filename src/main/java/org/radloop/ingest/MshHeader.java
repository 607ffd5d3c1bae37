package org.radloop.ingest;

/**
 * The few MSH fields RadLoop needs before (and whether or not) HAPI can parse the rest: who sent it,
 * what it is, its control id, version, acknowledgement mode and character set. Read with plain
 * string splitting so that a message HAPI refuses still gets an ACK addressed to its sender.
 */
record MshHeader(char fieldSeparator, char componentSeparator, char repetitionSeparator,
                 String sendingApplication, String sendingFacility, String messageCode, String triggerEvent,
                 String controlId, String processingId, String version, String acceptAckType,
                 String applicationAckType, String characterSet) {

    /** The MSH segment of {@code text}, or null when the text does not start with one. */
    static MshHeader read(CharSequence text) {
        if (text.length() < 8 || text.charAt(0) != 'M' || text.charAt(1) != 'S' || text.charAt(2) != 'H') return null;
        char fs = text.charAt(3);
        int end = 3;
        while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') end++;
        String segment = text.subSequence(0, end).toString();
        String[] f = split(segment, fs);
        if (f.length < 2 || f[1].isEmpty()) return null;
        String enc = f[1];
        char cs = enc.charAt(0);
        char rs = enc.length() > 1 ? enc.charAt(1) : '~';
        String[] type = split(field(f, 9), cs);
        return new MshHeader(fs, cs, rs,
                first(field(f, 3), cs), first(field(f, 4), cs),
                blankToNull(type.length > 0 ? type[0] : null), blankToNull(type.length > 1 ? type[1] : null),
                blankToNull(field(f, 10)), first(field(f, 11), cs), first(field(f, 12), cs),
                blankToNull(field(f, 15)), blankToNull(field(f, 16)),
                firstRepetition(field(f, 18), rs));
    }

    /** MSH-n, where the field separator itself is MSH-1 and so f[n-1] holds MSH-n. */
    private static String field(String[] f, int n) {
        return n - 1 < f.length ? f[n - 1] : "";
    }

    private static String first(String field, char componentSeparator) {
        int i = field.indexOf(componentSeparator);
        return blankToNull(i < 0 ? field : field.substring(0, i));
    }

    private static String firstRepetition(String field, char repetitionSeparator) {
        int i = field.indexOf(repetitionSeparator);
        return blankToNull(i < 0 ? field : field.substring(0, i));
    }

    private static String blankToNull(String s) {
        if (s == null) return null;
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }

    static String[] split(String s, char sep) {
        int n = 1;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == sep) n++;
        String[] out = new String[n];
        int start = 0, k = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == sep) {
                out[k++] = s.substring(start, i);
                start = i + 1;
            }
        }
        out[k] = s.substring(start);
        return out;
    }

    /** "ORM^O01", or as much of it as the message gave. */
    String messageType() {
        if (messageCode == null) return null;
        return triggerEvent == null ? messageCode : messageCode + "^" + triggerEvent;
    }
}
