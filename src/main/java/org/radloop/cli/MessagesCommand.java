package org.radloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "messages", mixinStandardHelpOptions = true,
        description = "Lists, shows and replays the messages RadLoop received and sent (through the running engine's API).",
        subcommands = {MessagesCommand.ListMessages.class, MessagesCommand.Show.class, MessagesCommand.Replay.class})
final class MessagesCommand implements Runnable {

    /** Exit codes: 0 done, 1 the engine refused (unknown id, bad filter, wrong token), 2 the engine could not be reached. */
    static final int REFUSED = 1;
    static final int UNREACHABLE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs one API call and turns failures into a plain sentence and an exit code. */
    abstract static class ApiCommand implements Callable<Integer> {
        @Mixin
        ApiConnection connection;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                ApiClient.Answer answer = ask(connection.client());
                if (!answer.ok()) {
                    err.println("Refused: " + answer.reason());
                    err.flush();
                    return REFUSED;
                }
                print(answer.body(), out);
                out.flush();
                return 0;
            } catch (ApiClient.Unreachable e) {
                err.println(e.getMessage());
                err.flush();
                return UNREACHABLE;
            }
        }

        abstract ApiClient.Answer ask(ApiClient api);

        abstract void print(JsonNode body, PrintWriter out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists stored messages, newest first, as a table: id, time received (UTC), direction, facility, message type, state, ACK code and error code. Filters combine; the message contents are not shown (use 'messages show ID' for one message).")
    static final class ListMessages extends ApiCommand {
        @Option(names = "--facility", paramLabel = "F", description = "Only this facility's messages (its id, e.g. st-marys).")
        String facility;
        @Option(names = "--type", paramLabel = "T", description = "Only this message type, e.g. ORM^O01.")
        String type;
        @Option(names = "--state", paramLabel = "S", description = "Only this state: ACCEPTED, REJECTED, REPLAYED, DUPLICATE, SENT or FAILED.")
        String state;
        @Option(names = "--direction", paramLabel = "D", description = "IN (received) or OUT (sent).")
        String direction;
        @Option(names = "--from", paramLabel = "TIME", description = "Received at or after this ISO-8601 time or date, e.g. 2026-03-01T08:00:00Z.")
        String from;
        @Option(names = "--to", paramLabel = "TIME", description = "Received before this ISO-8601 time or date.")
        String to;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N messages (1-500). Default: ${DEFAULT-VALUE}.")
        int limit;
        @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the N newest matches first (paging). Default: ${DEFAULT-VALUE}.")
        int offset;

        @Override
        ApiClient.Answer ask(ApiClient api) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("facility", facility);
            q.put("type", type);
            q.put("state", state);
            q.put("direction", direction);
            q.put("from", from);
            q.put("to", to);
            q.put("limit", Integer.toString(limit));
            q.put("offset", Integer.toString(offset));
            return api.get("/api/messages", q);
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            JsonNode messages = body.path("messages");
            long total = body.path("total").asLong();
            if (messages.isEmpty()) {
                out.println(total == 0 ? "No messages match." : "No messages on this page (" + total + " match in all).");
                return;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "RECEIVED (UTC)", "DIR", "FACILITY", "TYPE", "STATE", "ACK", "ERROR"});
            for (JsonNode m : messages) {
                rows.add(new String[] {m.path("id").asText(), time(m.path("receivedAt").asText("")), text(m, "direction"),
                        text(m, "facility"), text(m, "type"), text(m, "state"), text(m, "ackCode"), text(m, "errorCode")});
            }
            Table.print(rows, out);
            int first = body.path("offset").asInt() + 1;
            out.println("Showing " + first + "-" + (first + messages.size() - 1) + " of " + total + " message(s).");
        }

        private static String time(String iso) {
            return iso.isEmpty() ? "-" : iso.replace('T', ' ').replaceFirst("(\\d{2}:\\d{2}:\\d{2})\\.\\d+", "$1").replace("Z", "");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows one stored message in full: where it came from, its state and ACK code, the error it was refused with (code, location, text), the order it touched, replays, the parsed summary, and the raw message one segment per line. The raw message carries patient data.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The message's id, as 'messages list' shows it.")
        long id;

        @Override
        ApiClient.Answer ask(ApiClient api) {
            return api.get("/api/messages/" + id, Map.of());
        }

        @Override
        void print(JsonNode m, PrintWriter out) {
            out.println("Message " + m.path("id").asText());
            line(out, "Direction", text(m, "direction") + " via " + text(m, "channel"));
            line(out, "Facility", text(m, "facility"));
            line(out, "Type", text(m, "type") + (m.hasNonNull("hl7Version") ? " (HL7 " + m.path("hl7Version").asText() + ")" : ""));
            line(out, "Control id", text(m, "controlId"));
            line(out, "State", text(m, "state"));
            line(out, "ACK code", text(m, "ackCode"));
            line(out, "Received", text(m, "receivedAt"));
            line(out, "Processed", text(m, "processedAt"));
            JsonNode error = m.path("error");
            if (error.isObject()) {
                line(out, "Error", text(error, "code") + " at " + text(error, "location") + ": " + text(error, "text"));
            }
            JsonNode links = m.path("links");
            line(out, "Order id", text(links, "order"));
            line(out, "Replay of", text(links, "replayOf"));
            if (links.path("replays").size() > 0) line(out, "Replayed as", links.path("replays").toString());
            if (m.hasNonNull("summary")) {
                out.println("Summary:");
                out.println(pretty(m.path("summary")));
            }
            out.println("Raw message:");
            String raw = m.path("raw").asText("");
            out.println(raw.replace("\r\n", "\n").replace('\r', '\n').stripTrailing());
        }

        private static String pretty(JsonNode node) {
            try {
                return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return node.toString();
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Sends one stored message through its channel again, as if it had just arrived (for example after a code mapping was fixed), and prints what happened: the new message's id, its state and ACK code. The original message is kept unchanged.")
    static final class Replay extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The id of the message to replay.")
        long id;

        @Override
        ApiClient.Answer ask(ApiClient api) {
            return api.post("/api/messages/" + id + "/replay");
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            out.println("Message " + r.path("replayOf").asText() + " replayed as message " + r.path("newMessageId").asText()
                    + ": " + text(r, "state") + " (ACK " + text(r, "ackCode") + ")");
            if (r.hasNonNull("error")) out.println("Error: " + r.path("error").asText());
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? "-" : v.asText();
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("  %-12s %s%n", label + ":", value);
    }

    /** Fixed-width columns, as wide as their widest cell. */
    static final class Table {
        private Table() {
        }

        static void print(List<String[]> rows, PrintWriter out) {
            int[] widths = new int[rows.get(0).length];
            for (String[] row : rows) for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(row[i]);
                    if (i < row.length - 1) line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}
