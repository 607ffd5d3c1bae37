package org.radloop.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.radloop.config.ConfigProblem;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.SchemaValidator;
import org.radloop.delivery.CriticalResultsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Checks RadLoop's configuration files.",
        subcommands = {ConfigCommand.Validate.class})
final class ConfigCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Validates the facility files in DIR/facilities (and the code mappings they name), DIR/radiologists.yaml, the report templates in mappings/templates, the report QC rules and lexicon, DIR/critical-results.yaml with mappings/critical-findings.yaml, and the clinician directories in DIR/directory against the JSON Schemas in DIR/schemas, and prints each problem as file:line: field: reason. Exits 0 when everything is valid, 1 otherwise. Nothing is applied to a running engine.")
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The configuration folder. Default: conf")
        Path dir = Path.of("conf");

        @picocli.CommandLine.Option(names = "--mappings", description = "The mappings folder. Default: mappings beside DIR")
        Path mappings;

        @Override
        public Integer call() {
            if (!Files.isDirectory(dir)) {
                System.err.println(dir + " is not a folder");
                return 1;
            }
            Path mappingsDir = mappings != null ? mappings : dir.toAbsolutePath().getParent().resolve("mappings");
            SchemaValidator validator = new SchemaValidator(dir.resolve("schemas"));
            FacilityRegistry registry = new FacilityRegistry(dir.resolve("facilities"), mappingsDir, validator);
            List<ConfigProblem> problems = new java.util.ArrayList<>(registry.check());
            // The radiologist roster and the report templates (routing and reporting stages).
            Path roster = dir.resolve("radiologists.yaml");
            if (Files.isRegularFile(roster)) {
                try {
                    org.radloop.config.RadiologistRoster.load(roster, validator);
                } catch (org.radloop.config.ConfigException e) {
                    problems.addAll(e.problems());
                }
            }
            problems.addAll(org.radloop.reporting.TemplateLibrary.check(mappingsDir.resolve("templates"), validator));
            // Critical results: conf/critical-results.yaml and the clinician directories.
            problems.addAll(new CriticalResultsConfig(dir).check());
            // Report QC: conf/qc-rules.yaml, mappings/qc-lexicon.yaml, mappings/critical-findings.yaml.
            problems.addAll(org.radloop.qc.QcEngine.check(dir, mappingsDir));
            problems.forEach(p -> System.out.println(p));
            if (problems.isEmpty()) {
                System.out.println("Configuration in " + dir + " is valid.");
                return 0;
            }
            System.out.println(problems.size() + " problem(s) found.");
            return 1;
        }
    }
}
