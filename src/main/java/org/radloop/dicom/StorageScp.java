package org.radloop.dicom;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side of the storage SCP: accepts TCP connections (TCP_NODELAY on each, without it a
 * sender stalls ~44 ms per image), checks the A-ASSOCIATE-RQ against the AE titles and the
 * association limit, and runs each admitted association on its own thread.
 */
final class StorageScp {
    private static final Logger LOG = LoggerFactory.getLogger(StorageScp.class);

    private final ScpSettings settings;
    private final InstanceStore store;
    private final InstanceListener listener;
    private final Semaphore associations;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private ServerSocket server;
    private ExecutorService workers;
    private Thread acceptor;
    private volatile boolean running;

    StorageScp(ScpSettings settings, InstanceStore store, InstanceListener listener) {
        this.settings = settings;
        this.store = store;
        this.listener = listener;
        this.associations = new Semaphore(settings.maxAssociations());
    }

    void start() throws IOException {
        store.open();
        server = new ServerSocket();
        server.setReuseAddress(true);
        InetAddress bind = settings.host() == null || settings.host().isBlank() ? null : InetAddress.getByName(settings.host());
        server.bind(new InetSocketAddress(bind, settings.port()), 128);
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dicom-scp-" + settings.aeTitle() + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        running = true;
        acceptor = new Thread(this::acceptLoop, "dicom-scp-accept-" + settings.aeTitle());
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("DICOM storage SCP {} listening on {}:{}", settings.aeTitle(),
                server.getInetAddress().getHostAddress(), server.getLocalPort());
    }

    int localPort() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                open.add(socket);
                workers.execute(() -> serve(socket));
            } catch (SocketException closed) {
                if (running) {
                    LOG.warn("accept failed: {}", closed.toString());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("accept failed: {}", e.toString());
            }
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout(settings.idleTimeoutMillis());
            AssociateRequestGate.Request rq = AssociateRequestGate.read(socket);
            if (rq == null) {
                return;
            }
            if (!associations.tryAcquire()) {
                LOG.warn("association from {} refused: {} associations already open", rq.callingAeTitle(), settings.maxAssociations());
                AssociateRequestGate.reject(socket, AssociateRequestGate.RESULT_TRANSIENT,
                        AssociateRequestGate.SOURCE_SERVICE_PROVIDER_PRESENTATION, AssociateRequestGate.REASON_LOCAL_LIMIT_EXCEEDED);
                return;
            }
            try {
                if (!settings.aeTitle().equals(rq.calledAeTitle())) {
                    LOG.warn("association from {} refused: called AE title {} is not {}", rq.callingAeTitle(), rq.calledAeTitle(), settings.aeTitle());
                    AssociateRequestGate.reject(socket, AssociateRequestGate.RESULT_PERMANENT,
                            AssociateRequestGate.SOURCE_SERVICE_USER, AssociateRequestGate.REASON_CALLED_AE_NOT_RECOGNIZED);
                    return;
                }
                if (!settings.callingAeTitlePolicy().accepts(rq.callingAeTitle(), rq.calledAeTitle())) {
                    LOG.warn("association from {} at {} refused: calling AE title not recognized", rq.callingAeTitle(),
                            socket.getInetAddress().getHostAddress());
                    AssociateRequestGate.reject(socket, AssociateRequestGate.RESULT_PERMANENT,
                            AssociateRequestGate.SOURCE_SERVICE_USER, AssociateRequestGate.REASON_CALLING_AE_NOT_RECOGNIZED);
                    return;
                }
                new StoreAssociation(settings, store, listener).serve(new PrefetchedSocket(socket, rq.pduBytes()));
            } finally {
                associations.release();
            }
        } catch (Exception e) {
            if (running) {
                LOG.info("association from {} ended abnormally: {}", socket.getInetAddress().getHostAddress(), e.toString());
            }
        } finally {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed by the peer or by PixelMed
            }
        }
    }

    void stop() {
        running = false;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing a listening socket only fails if it is already closed
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort: the worker notices and ends
            }
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
