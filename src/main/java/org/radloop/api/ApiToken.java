package org.radloop.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.radloop.config.RadLoopSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token every {@code /api} call must carry: {@code radloop.api.token}, or, when that is
 * empty, a random one made at start and written to {@code <data>/api-token} for the owner only, so
 * that the CLI on the same machine can read it and nobody else can.
 */
public final class ApiToken {

    private static final Logger LOG = LoggerFactory.getLogger(ApiToken.class);
    public static final String FILE_NAME = "api-token";

    private final byte[] digest;

    private ApiToken(String token) {
        this.digest = sha256(token);
    }

    public static ApiToken resolve(RadLoopSettings settings) {
        String configured = settings.get("radloop.api.token", null);
        if (configured != null) return new ApiToken(configured);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path file = settings.dataDir().resolve(FILE_NAME);
        writeOwnerOnly(file, token);
        LOG.info("No radloop.api.token set: a new API token was written to {} (readable by its owner only)", file);
        return new ApiToken(token);
    }

    /** Constant time whatever the presented value: both sides are hashed to the same length first. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The token file's path under a data folder: where the CLI looks when no token is given. */
    public static Path fileIn(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /**
     * Written to a temporary file created with owner-only permissions and moved into place, so the
     * token is never readable by others, not even for an instant.
     */
    private static void writeOwnerOnly(Path file, String token) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.deleteIfExists(tmp);
            boolean posix = Files.getFileStore(file.getParent()).supportsFileAttributeView("posix");
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            if (posix) Files.createFile(tmp, PosixFilePermissions.asFileAttribute(ownerOnly));
            else Files.createFile(tmp);
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (posix) Files.setPosixFilePermissions(file, ownerOnly);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("Cannot write the API token: " + e.getFile() + " appeared while writing it", e);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the API token to " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
