package org.radloop.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SFTP server for a test (Apache SSHD): one user with a password, its files in a folder of the
 * test's own, a host key generated for the run (so clients must not check it: tests only).
 */
public final class SftpPeer implements AutoCloseable {

    public static final String USER = "facility";
    public static final String PASSWORD = "sftp-test-secret";

    private final SshServer server;
    private final Path root;

    private SftpPeer(Path root, int port) throws Exception {
        this.root = Files.createDirectories(root);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(root.resolveSibling(root.getFileName() + "-hostkey.ser")));
        server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(this.root));
        server.start();
    }

    /** Starts on the given port (0 for any free one). */
    public static SftpPeer start(Path root, int port) throws Exception {
        return new SftpPeer(root, port);
    }

    public int port() {
        return server.getPort();
    }

    /** The user's folder as the server stores it. */
    public Path root() {
        return root;
    }

    @Override
    public void close() throws Exception {
        server.stop(true);
    }
}
