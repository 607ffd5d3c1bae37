package org.radloop.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.radloop.config.RadLoopSettings;

/**
 * The single-use acknowledgement link of a notification: {@code <public URL>/ack/<token>}, where the
 * token is 256 random bits. Only its SHA-256 is stored, so neither a database reader nor a backup can
 * acknowledge on a clinician's behalf, and a guessed token cannot match.
 */
public final class AcknowledgementLink {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** 32 bytes in unpadded base64url. */
    private static final String FORM = "[A-Za-z0-9_-]{43}";

    private final String baseUrl;

    public AcknowledgementLink(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /**
     * {@code radloop.http.public.url} (what clinicians' phones can reach, e.g. behind a reverse proxy),
     * else the engine's own HTTP address.
     */
    public static AcknowledgementLink from(RadLoopSettings settings) {
        String pub = settings.get("radloop.http.public.url", null);
        if (pub != null) return new AcknowledgementLink(pub);
        String host = settings.get("radloop.http.host", "0.0.0.0");
        if (host.equals("0.0.0.0") || host.equals("::")) host = "localhost";
        return new AcknowledgementLink("http://" + host + ":" + settings.getInt("radloop.http.port", 8080));
    }

    String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return ENCODER.encodeToString(b);
    }

    /** RadLoop's address as people reach it (links in messages, the claim URL of on-call pages). */
    public String baseUrl() {
        return baseUrl;
    }

    String url(String token) {
        return baseUrl + "/ack/" + token;
    }

    /** Whether the text could be a token at all; anything else is refused before touching the database. */
    static boolean wellFormed(String token) {
        return token != null && token.matches(FORM);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
