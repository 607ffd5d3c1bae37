package org.radloop.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.radloop.config.ConfigProblem;
import org.radloop.config.RadLoopSettings;
import org.radloop.triage.ModelRegistry;
import org.radloop.triage.demo.DemoModelBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Builds the demonstration triage models and lists the configured ones.",
        subcommands = {ModelsCommand.BuildDemo.class, ModelsCommand.ListModels.class, ModelsCommand.Benchmark.class})
final class ModelsCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "build-demo", mixinStandardHelpOptions = true,
            description = "Generates synthetic cases with fixed seeds (CT head phantoms with and without a bleed, chest radiograph phantoms with and without a pneumothorax-like pattern), trains Tribuo classifiers, exports them to ONNX, measures them on held-out cases, and writes each model with its model card into <data>/models/<id>/ and its YAML into <conf>/models/. Reproducible and offline. The models are demonstration models, not for clinical use.")
    static final class BuildDemo implements Callable<Integer> {
        @Option(names = "--home", description = "RadLoop's folder. Default: the current folder.")
        Path home = Path.of(System.getProperty("radloop.home", "."));

        @Option(names = "--cases", description = "Training cases per model (a fifth choose the threshold). Default: ${DEFAULT-VALUE}")
        int cases = DemoModelBuilder.Options.defaults().trainCases();

        @Option(names = "--test-cases", description = "Held-out test cases per model. Default: ${DEFAULT-VALUE}")
        int testCases = DemoModelBuilder.Options.defaults().testCases();

        @Option(names = "--size", description = "Phantom size in pixels. Default: ${DEFAULT-VALUE}")
        int size = DemoModelBuilder.Options.defaults().imageSize();

        @Option(names = "--seed", description = "Random seed. Default: ${DEFAULT-VALUE}")
        long seed = DemoModelBuilder.Options.defaults().seed();

        @Override
        public Integer call() throws Exception {
            RadLoopSettings settings = RadLoopSettings.load(home);
            DemoModelBuilder.Options options = new DemoModelBuilder.Options(cases, testCases, size, seed,
                    DemoModelBuilder.Options.defaults().epochs());
            List<DemoModelBuilder.Built> built = new DemoModelBuilder().buildAll(settings.dataDir().resolve("models"),
                    settings.confDir().resolve("models"), options);
            for (DemoModelBuilder.Built b : built) {
                System.out.printf("%s: AUC %.3f, sensitivity %.3f and specificity %.3f at threshold %.3f on %d held-out cases%n"
                                + "  model %s%n  card  %s%n  yaml  %s%n",
                        b.id(), b.evaluation().auc(), b.evaluation().sensitivity(), b.evaluation().specificity(),
                        b.evaluation().threshold(), b.evaluation().positives() + b.evaluation().negatives(),
                        b.onnx(), b.modelCard(), b.yaml());
            }
            System.out.println("Demonstration models, not for clinical use.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Loads every model in <conf>/models and prints its state: AVAILABLE, or UNAVAILABLE with the reason. Exits 1 when a model file is invalid.")
    static final class ListModels implements Callable<Integer> {
        @Option(names = "--home", description = "RadLoop's folder. Default: the current folder.")
        Path home = Path.of(System.getProperty("radloop.home", "."));

        @Override
        public Integer call() {
            RadLoopSettings settings = RadLoopSettings.load(home);
            try (ModelRegistry registry = new ModelRegistry(settings, null)) {
                List<ConfigProblem> problems = registry.reload();
                for (ModelRegistry.ModelStatus s : registry.statuses()) {
                    System.out.println(s.id() + " " + s.version() + " " + s.state()
                            + (s.reason() == null ? "" : ": " + s.reason()));
                }
                problems.forEach(System.out::println);
                return problems.isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "benchmark", mixinStandardHelpOptions = true,
            description = "Times whole-study triage with the CT head demonstration model (build it first with build-demo) on phantom CT series written as DICOM files: p50 and p99 from study to decision, and ONNX Runtime time per slice.")
    static final class Benchmark implements Callable<Integer> {
        @Option(names = "--home", description = "RadLoop's folder. Default: the current folder.")
        Path home = Path.of(System.getProperty("radloop.home", "."));

        @Option(names = "--studies", description = "Studies to triage. Default: ${DEFAULT-VALUE}")
        int studies = 50;

        @Option(names = "--slices", description = "Slices per study. Default: ${DEFAULT-VALUE}")
        int slices = 200;

        @Option(names = "--size", description = "Slice size in pixels. Default: ${DEFAULT-VALUE}")
        int size = 512;

        @Override
        public Integer call() throws Exception {
            RadLoopSettings settings = RadLoopSettings.load(home);
            Path work = java.nio.file.Files.createTempDirectory("radloop-triage-bench");
            try {
                var figures = new org.radloop.triage.demo.TriageBenchmark().run(settings.confDir().resolve("models"),
                        settings.dataDir(), settings.confDir().resolve("schemas"),
                        settings.mappingsDir().resolve("triage-lexicon.yaml"), work, studies, slices, size);
                System.out.println(figures);
                return 0;
            } finally {
                java.nio.file.Files.deleteIfExists(work);
            }
        }
    }
}
