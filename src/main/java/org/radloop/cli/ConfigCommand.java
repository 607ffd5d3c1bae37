package org.radloop.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.radloop.config.ConfigProblem;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.SchemaValidator;
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
            description = "Validates the facility files in DIR/facilities (and the code mappings they name), and the report QC rules, lexicon and critical-result files, against the JSON Schemas in DIR/schemas, and prints each problem as file:line: field: reason. Exits 0 when everything is valid, 1 otherwise. Nothing is applied to a running engine.")
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
            FacilityRegistry registry = new FacilityRegistry(dir.resolve("facilities"), mappingsDir,
                    new SchemaValidator(dir.resolve("schemas")));
            List<ConfigProblem> problems = new java.util.ArrayList<>(registry.check());
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
