package org.radloop.ingest;

import static org.radloop.ingest.MllpTestClient.field;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several RIS connections sending at once over real MLLP, each on its own connection and thread,
 * the next message after the ACK: how the ingest tests show that concurrent senders lose nothing.
 */
final class ParallelSenders {

    /** The message a sender sends as its i-th, with the MSH-10 its ACK must carry. */
    record Message(String controlId, String text) {
    }

    @FunctionalInterface
    interface Messages {
        Message of(int sender, int i);
    }

    private ParallelSenders() {
    }

    /** Sends {@code each} messages on each of {@code senders} connections; returns the ACKs that were AA for their own MSH-10. */
    static int acceptedAcks(String host, int port, int senders, int each, Messages messages) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int sender = t;
                results.add(pool.submit(() -> {
                    int aa = 0;
                    try (MllpTestClient c = new MllpTestClient(host, port)) {
                        for (int i = 0; i < each; i++) {
                            Message m = messages.of(sender, i);
                            String ack = c.send(m.text());
                            if ("AA".equals(field(ack, "MSA", 1)) && m.controlId().equals(field(ack, "MSA", 2))) aa++;
                        }
                    }
                    return aa;
                }));
            }
            int acked = 0;
            for (Future<Integer> f : results) acked += f.get();
            return acked;
        } finally {
            pool.shutdownNow();
        }
    }
}
