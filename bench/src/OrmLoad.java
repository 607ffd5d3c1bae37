import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop MLLP load client for the benchmark: C persistent connections, each sending its share
 * of M ORM^O01 new orders one at a time (send, wait for the ACK, check it, next). The same client
 * drives RadLoop and the reference servers, so every figure of one run is measured the same way.
 *
 * <p>The orders come from St Mary's (conf/facilities/st-marys.yaml: MSH-3 EPICRIS, MSH-4 STMARYS)
 * with procedure codes that its mapping file (mappings/codes/st-marys.yaml) maps, so RadLoop accepts
 * and stores every one. Each message has its own MSH-10, placer, filler and accession number and a
 * patient drawn from a synthetic pool; the ~1 KB size matches the reference harness's messages.
 * An ACK counts only when MSA-1 is AA and MSA-2 is the message's own MSH-10. Messages are built
 * before the clock starts; a warm-up on the same connections precedes the timed phase.
 *
 * <p>Usage: {@code OrmLoad --port P [--host H] [--messages M] [--conns C] [--warmup W] [--tag T]}.
 * Prints {@code RUN hl7 conns=.. msgs=.. elapsed_s=.. msgs_per_s=.. p50_ms=.. p90_ms=.. p99_ms=..
 * max_ms=.. errors=.. avg_msg_bytes=..}; exits 0 only when every ACK was a matching AA.
 */
public final class OrmLoad {
    private static final byte SB = 0x0b, EB = 0x1c, CR = 0x0d;
    private static final AtomicBoolean FIRST_BAD = new AtomicBoolean();
    /** St Mary's RIS codes that mappings/codes/st-marys.yaml maps to RadLoop procedures. */
    private static final String[][] PROCEDURES = {
            {"CTHEADWO", "CT HEAD WITHOUT CONTRAST", "CT"}, {"CTPA", "CT PULMONARY ANGIOGRAM", "CT"},
            {"CTAPC", "CT ABDOMEN PELVIS WITH CONTRAST", "CT"}, {"XRCH2V", "XR CHEST 2 VIEWS", "CR"},
            {"MRBRN", "MR BRAIN", "MR"}, {"USABD", "US ABDOMEN COMPLETE", "US"}};
    private static final String[] LAST = {"DOE", "SMITH", "MUELLER", "GARCIA", "NGUYEN", "ROSSI", "DUBOIS", "OKAFOR"};
    private static final String[] FIRST = {"JANE", "JOHN", "ALEX", "MARIA", "WEI", "LUCA", "CLAIRE", "ADA"};
    private static final int PATIENTS = 20000;

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        String tag = Long.toString(System.currentTimeMillis() % 100_000_000L, 36).toUpperCase(Locale.ROOT);
        int port = -1, msgs = 10000, conns = 1, warmup = 1000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--messages" -> msgs = Integer.parseInt(args[++i]);
                case "--conns" -> conns = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--tag" -> tag = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (port < 0) throw new IllegalArgumentException("--port is required");

        Generator gen = new Generator(tag);
        List<Msg[]> warm = new ArrayList<>(), timed = new ArrayList<>();
        long bytes = 0;
        for (int c = 0; c < conns; c++) {
            Msg[] w = new Msg[warmup / conns + (c < warmup % conns ? 1 : 0)];
            Msg[] t = new Msg[msgs / conns + (c < msgs % conns ? 1 : 0)];
            for (int i = 0; i < w.length; i++) w[i] = gen.next();
            for (int i = 0; i < t.length; i++) { t[i] = gen.next(); bytes += t[i].framed.length; }
            warm.add(w);
            timed.add(t);
        }

        CyclicBarrier ready = new CyclicBarrier(conns + 1), go = new CyclicBarrier(conns + 1);
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[conns][];
        long[] ends = new long[conns];
        Thread[] threads = new Thread[conns];
        final String h = host;
        final int p = port;
        for (int c = 0; c < conns; c++) {
            final int ci = c;
            threads[c] = new Thread(() -> {
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(h, p), 10_000);
                    s.setSoTimeout(60_000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
                    byte[] buf = new byte[1 << 16];
                    for (Msg m : warm.get(ci)) if (!exchange(out, in, m, buf)) errors.incrementAndGet();
                    ready.await();
                    go.await();
                    Msg[] ms = timed.get(ci);
                    long[] l = new long[ms.length];
                    for (int i = 0; i < ms.length; i++) {
                        long t0 = System.nanoTime();
                        if (!exchange(out, in, ms[i], buf)) errors.incrementAndGet();
                        l[i] = System.nanoTime() - t0;
                    }
                    ends[ci] = System.nanoTime();
                    latencies[ci] = l;
                } catch (Exception e) {
                    System.err.println("connection " + ci + " failed: " + e);
                    errors.addAndGet(1_000_000);
                    latencies[ci] = new long[0];
                    ready.reset();
                    go.reset();
                }
            }, "mllp-" + c);
            threads[c].start();
        }
        ready.await();
        long start = System.nanoTime();
        go.await();
        for (Thread t : threads) t.join();
        long end = Arrays.stream(ends).max().orElse(start);
        double secs = (end - start) / 1e9;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf(Locale.ROOT,
                "RUN hl7 conns=%d msgs=%d elapsed_s=%.3f msgs_per_s=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d avg_msg_bytes=%d%n",
                conns, all.length, secs, all.length / secs, pct(all, 50), pct(all, 90), pct(all, 99),
                all.length == 0 ? 0.0 : all[all.length - 1] / 1e6, errors.get(), msgs == 0 ? 0 : bytes / msgs);
        System.exit(errors.get() == 0 && all.length == msgs ? 0 : 2);
    }

    /** Nearest-rank percentile of sorted nanosecond values, in milliseconds. */
    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }

    /** One MLLP round trip; true when the answer is MSA|AA for this message's MSH-10. */
    private static boolean exchange(OutputStream out, InputStream in, Msg msg, byte[] buf) throws IOException {
        out.write(msg.framed);
        out.flush();
        int n = 0, b;
        while ((b = in.read()) != SB) if (b < 0) throw new IOException("connection closed before the ACK");
        while (true) {
            b = in.read();
            if (b < 0) throw new IOException("connection closed inside the ACK");
            if (b == EB) {
                if (in.read() != CR) throw new IOException("bad MLLP trailer");
                break;
            }
            if (n == buf.length) throw new IOException("ACK too large");
            buf[n++] = (byte) b;
        }
        String ack = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        int msa = ack.startsWith("MSA|") ? 0 : ack.indexOf("\rMSA|") + 1;
        if (msa == 0 && !ack.startsWith("MSA|")) return bad(msg, ack);
        int e = ack.indexOf('\r', msa);
        String[] f = ack.substring(msa, e < 0 ? ack.length() : e).split("\\|", -1);
        boolean ok = f.length >= 3 && f[1].equals("AA") && f[2].equals(msg.controlId);
        return ok || bad(msg, ack);
    }

    private static boolean bad(Msg msg, String ack) {
        if (FIRST_BAD.compareAndSet(false, true)) {
            System.err.println("unexpected ACK for " + msg.controlId + ": " + ack.replace('\r', '\n'));
        }
        return false;
    }

    private record Msg(byte[] framed, String controlId) {
    }

    /** Synthetic St Mary's new orders (HL7 v2.5.1), unique identifiers per message. */
    private static final class Generator {
        private final String tag;
        private final Random rnd = new Random(42);
        private long seq;

        Generator(String tag) {
            this.tag = tag;
        }

        Msg next() {
            long n = ++seq;
            String ctrl = tag + String.format(Locale.ROOT, "%08d", n);
            // A pool of patients with fixed demographics, as a RIS sends them: some orders are for a
            // patient RadLoop already knows, and a known patient's details do not change per order.
            int patient = rnd.nextInt(PATIENTS);
            Random who = new Random(patient);
            String mrn = "SM" + (100000 + patient);
            String[] pr = PROCEDURES[rnd.nextInt(PROCEDURES.length)];
            String ts = String.format(Locale.ROOT, "202611%02d%02d%02d00", 1 + rnd.nextInt(28), 7 + rnd.nextInt(10), rnd.nextInt(60));
            String dob = String.format(Locale.ROOT, "19%02d%02d%02d", 30 + who.nextInt(70), 1 + who.nextInt(12), 1 + who.nextInt(28));
            String placer = "P" + tag + n, acc = "A" + tag + n;
            StringBuilder sb = new StringBuilder(1200);
            sb.append("MSH|^~\\&|EPICRIS|STMARYS|RADLOOP|RADLOOP|").append(ts).append("||ORM^O01^ORM_O01|").append(ctrl)
                    .append("|P|2.5.1||||||8859/1\r");
            sb.append("PID|1||").append(mrn).append("^^^STMARYS^MR||").append(LAST[who.nextInt(LAST.length)]).append('^')
                    .append(FIRST[who.nextInt(FIRST.length)]).append("^Q||").append(dob).append('|').append(who.nextBoolean() ? "M" : "F")
                    .append("|||").append(1 + who.nextInt(999)).append(" HIGH ST^^LONDON^^W2 1NY^GBR^H||^PRN^PH^^44^20^5551234\r");
            sb.append("PV1|1|O|RAD^CT1^01^STMARYS||||1234^HOUSE^GREGORY^^^DR|7654^JONES^MARY^^^DR||||||||||VN").append(mrn)
                    .append("^^^STMARYS^VN|||||||||||||||||||||||||").append(ts).append('\r');
            sb.append("ORC|NW|").append(placer).append("^EPICRIS|F").append(placer).append("^RADLOOP||SC||^^^").append(ts)
                    .append("^^R||").append(ts).append("|JDOE^DOE^JANE|||RAD^^^STMARYS|^WPN^PH^^44^20^5559876|").append(ts).append('\r');
            sb.append("OBR|1|").append(placer).append("^EPICRIS|F").append(placer).append("^RADLOOP|").append(pr[0]).append('^')
                    .append(pr[1]).append("^L|||").append(ts).append("|||||||||1234^HOUSE^GREGORY^^^DR|^WPN^PH^^44^20^5551111|")
                    .append(acc).append('|').append(acc).append("|||||").append(pr[2]).append("|||^^^").append(ts)
                    .append("^^R||||R91.8^Abnormal finding of lung field^I10\r");
            sb.append("NTE|1||Clinical history: follow-up of incidental finding. Contrast allergy: none. eGFR > 60.\r");
            sb.append("DG1|1||R91.8^Other nonspecific abnormal finding of lung field^I10||").append(ts).append("|A\r");
            byte[] body = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] framed = new byte[body.length + 3];
            framed[0] = SB;
            System.arraycopy(body, 0, framed, 1, body.length);
            framed[body.length + 1] = EB;
            framed[body.length + 2] = CR;
            return new Msg(framed, ctrl);
        }
    }
}
