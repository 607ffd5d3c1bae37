package org.radloop.dicom;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Runs {@code dicom:scp} alone in its own JVM, for measurements with a deliberately small heap
 * (e.g. receiving a 1 GB multi-frame instance with -Xmx64m) or on a file system of its own (a tiny
 * tmpfs in a private mount namespace, to fill the disk). Usage: StandaloneScp PORT STORAGE_DIR.
 * Prints one line per received instance with the JVM's peak used heap so far; answers a line
 * "LIST" on standard input with every file under the storage folder's parent ("FILE path size"),
 * then "END", so a test can look inside a mount only this process sees.
 */
public final class StandaloneScp {
    private StandaloneScp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path storage = Path.of(args[1]);
        AtomicLong received = new AtomicLong();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("dicom:scp?aeTitle=RADLOOP&host=127.0.0.1&port=" + port + "&storageDir=" + storage)
                            .process(e -> {
                                long peak = 0;
                                for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                                    if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                                        peak += pool.getPeakUsage().getUsed();
                                    }
                                }
                                System.out.println("RECEIVED " + received.incrementAndGet() + " size="
                                        + e.getIn().getHeader(DicomConstants.FILE_SIZE) + " sha256="
                                        + e.getIn().getHeader(DicomConstants.SHA256) + " peakHeapBytes=" + peak
                                        + " maxHeapBytes=" + Runtime.getRuntime().maxMemory());
                            });
                }
            });
            camel.start();
            System.out.println("READY " + port);
            var stdin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
            String line;
            while ((line = stdin.readLine()) != null) {
                if ("LIST".equals(line.trim())) {
                    try (var files = java.nio.file.Files.walk(storage.toAbsolutePath().getParent())) {
                        files.filter(java.nio.file.Files::isRegularFile).forEach(f -> {
                            try {
                                System.out.println("FILE " + f + " " + java.nio.file.Files.size(f));
                            } catch (java.io.IOException e) {
                                System.out.println("FILE " + f + " -1");
                            }
                        });
                    }
                    System.out.println("END");
                }
            }
            new CountDownLatch(1).await();
        }
    }
}
