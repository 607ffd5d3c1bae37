package org.radloop.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/**
 * An engine running as a process of its own, for tests that kill it (SIGKILL) and restart it on the
 * same data folder.
 */
public final class EngineProcess {

    private EngineProcess() {
    }

    /** Waits until {@code port} accepts connections; fails at once if the process has exited. */
    public static void awaitListening(int port, Process process) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) throw new IllegalStateException("engine exited with " + process.exitValue());
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
