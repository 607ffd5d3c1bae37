package org.radloop.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.radloop.demo.DemoRun;
import org.radloop.demo.DemoSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the whole loop on this machine with synthetic data: a RadLoop engine on embedded defaults in a demo"
                + " data folder, three simulated facilities (RIS over HL7 MLLP, modalities over DICOM), simulated radiologists and"
                + " clinicians, then retraining of the deliberately weak demonstration models. Ends with a summary, also written"
                + " as demo-report.html in the data folder. See docs/demo.md.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--home", description = "RadLoop's folder (conf/, routes/, connectors/, mappings/). Default: the current folder.")
    Path home = Path.of(System.getProperty("radloop.home", "."));

    @Option(names = "--studies", description = "Number of studies to send (default 48 when --minutes is not given).")
    Integer studies;

    @Option(names = "--minutes", description = "Keep sending studies for this many real minutes (then finish reading them).")
    Double minutes;

    @Option(names = "--out", description = "The demo's data folder. Default: ./data/demo-<timestamp>.")
    Path out;

    @Option(names = "--minute-ms", description = "Real milliseconds per simulated minute of reading (default ${DEFAULT-VALUE}).")
    long minuteMs = 250;

    @Option(names = "--weak-cases", description = "Phantom cases the weak demonstration models are trained on (default ${DEFAULT-VALUE}).")
    int weakCases = 12;

    @Option(names = "--no-escalation-wait", description = "Do not wait (up to 2.5 real minutes) at the end for unacknowledged critical results to escalate.")
    boolean noEscalationWait;

    @Override
    public Integer call() throws Exception {
        int n = studies != null ? studies : (minutes != null ? 0 : 48);
        if (n < 0 || (n == 0 && (minutes == null || minutes <= 0))) {
            System.err.println("--studies must be positive, or give --minutes");
            return 2;
        }
        Path data = out != null ? out : home.resolve("data/demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        DemoSummary summary = new DemoRun(home, new DemoRun.Options(n, minutes == null ? 0 : minutes, data, minuteMs, weakCases, !noEscalationWait),
                System.out).run();
        System.out.println();
        System.out.print(summary.text());
        return summary.signed() == summary.planned() ? 0 : 1;
    }
}
