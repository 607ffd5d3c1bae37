package org.radloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code radloop learn}: the learning loop from the command line, through the running engine's API
 * (the engine holds the store, the models and the schedule; see docs/learning.md).
 */
@Command(name = "learn", mixinStandardHelpOptions = true,
        description = "The learning loop: export the de-identified learning dataset, retrain a model on the radiologists' labels, list, approve and roll back model versions. Talks to the running engine.",
        subcommands = {LearnCommand.Export.class, LearnCommand.Retrain.class, LearnCommand.Versions.class,
                LearnCommand.Approve.class, LearnCommand.Rollback.class})
final class LearnCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes the de-identified learning dataset (DICOM PS3.15 basic profile style: names and identifiers replaced by pseudonyms, dates shifted per patient, UIDs remapped, private attributes removed) with labels.csv into <data>/learning/dataset/<name>/.")
    static final class Export extends MessagesCommand.ApiCommand {
        @Option(names = "--name", paramLabel = "NAME", description = "Folder name under <data>/learning/dataset. Default: the time, yyyyMMdd-HHmmss (UTC).")
        String name;

        @Override
        ApiClient.Answer ask(ApiClient api) {
            return api.post("/api/learning/export" + (name == null ? "" : "?name=" + enc(name)));
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            out.println("Exported " + r.path("labels").asInt() + " labels and " + r.path("files").asInt()
                    + " de-identified DICOM files (" + r.path("skipped").asInt() + " left out) to " + r.path("directory").asText());
            out.println("Labels: " + r.path("labelsFile").asText());
            out.println("Also " + r.path("reportEdits").asInt() + " report section edits (report-edits.csv) and "
                    + r.path("qcOverrides").asInt() + " QC overrides (qc-overrides.csv), without their text");
        }
    }

    @Command(name = "retrain", mixinStandardHelpOptions = true,
            description = "Trains a candidate version of the model on the accumulated labels with the model's own feature pipeline, exports it to ONNX, measures candidate and current on held-out labels, writes a model card, and applies the model's promotion policy (learning.promotion in its YAML).")
    static final class Retrain extends MessagesCommand.ApiCommand {
        @Option(names = "--model", required = true, paramLabel = "ID", description = "The model's id (conf/models/<id>.yaml).")
        String model;

        @Override
        ApiClient.Answer ask(ApiClient api) {
            return api.post("/api/models/" + enc(model) + "/retrain");
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            JsonNode e = r.path("evaluation");
            out.printf("Candidate %s of %s: trained on %d labels, %d held out%n", r.path("version").asText(), model,
                    r.path("trainingLabels").asInt(), r.path("holdoutLabels").asInt());
            for (String who : new String[] {"candidate", "current"}) {
                JsonNode m = e.path(who);
                out.printf("  %-9s AUC %.3f  sensitivity %.3f  specificity %.3f  Brier %.3f  (threshold %.3f)%n", who,
                        m.path("auc").asDouble(Double.NaN), m.path("sensitivity").asDouble(Double.NaN),
                        m.path("specificity").asDouble(Double.NaN), m.path("brier").asDouble(Double.NaN), m.path("threshold").asDouble());
            }
            out.println((r.path("promoted").asBoolean() ? "Promoted: " : "Not promoted: ") + r.path("decision").asText(
                    r.path("state").asText()));
            out.println("Model card: " + r.path("modelCard").asText());
        }
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "Lists a model's versions with their state and measured numbers.")
    static final class Versions extends MessagesCommand.ApiCommand {
        @Option(names = "--model", required = true, paramLabel = "ID")
        String model;

        @Override
        ApiClient.Answer ask(ApiClient api) {
            return api.get("/api/models/" + enc(model) + "/versions", Map.of());
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            out.println(model + ": in service " + r.path("inService").asText());
            for (JsonNode v : r.path("versions")) {
                JsonNode c = v.path("evaluation").path("candidate");
                out.printf("  %-10s %-17s %s%s%n", v.path("version").asText(), v.path("state").asText(),
                        c.isMissingNode() ? "" : String.format("AUC %.3f on %d held-out labels ", c.path("auc").asDouble(Double.NaN),
                                v.path("holdoutLabels").asInt()),
                        v.path("shadow").asBoolean() ? "(in shadow)" : "");
            }
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Puts a candidate waiting for approval into service.")
    static final class Approve extends MessagesCommand.ApiCommand {
        @Option(names = "--model", required = true, paramLabel = "ID")
        String model;
        @Option(names = "--version", required = true, paramLabel = "V")
        String version;
        @Option(names = "--by", paramLabel = "WHO", description = "Who approves (kept in the audit trail). Default: the user name.")
        String by = System.getProperty("user.name", "cli");

        @Override
        ApiClient.Answer ask(ApiClient api) {
            return api.post("/api/models/" + enc(model) + "/versions/" + enc(version) + "/approve?by=" + enc(by));
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            out.println(model + " " + r.path("version").asText() + " is " + r.path("state").asText());
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Puts an earlier version back into service: the one named, or the one before the current.")
    static final class Rollback extends MessagesCommand.ApiCommand {
        @Option(names = "--model", required = true, paramLabel = "ID")
        String model;
        @Option(names = "--version", paramLabel = "V", description = "The version to go back to. Default: the previous one.")
        String version;
        @Option(names = "--by", paramLabel = "WHO")
        String by = System.getProperty("user.name", "cli");

        @Override
        ApiClient.Answer ask(ApiClient api) {
            return api.post("/api/models/" + enc(model) + "/rollback?by=" + enc(by) + (version == null ? "" : "&version=" + enc(version)));
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            out.println(model + " " + r.path("version").asText() + " is " + r.path("state").asText());
        }
    }
}
