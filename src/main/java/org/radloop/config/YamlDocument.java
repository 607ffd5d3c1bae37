package org.radloop.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML configuration file read as a JSON tree, remembering the line of every field so that a
 * schema error can name the line an analyst must fix.
 */
public final class YamlDocument {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path file;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    private YamlDocument(Path file, JsonNode root, Map<String, Integer> lines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    /** Parses the file; a YAML syntax error becomes a {@link ConfigException} with its line. */
    public static YamlDocument read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, null, "cannot be read: " + e.getMessage())));
        }
        try {
            JsonNode root = YAML.readTree(text);
            return new YamlDocument(file, root, indexLines(text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigException(List.of(new ConfigProblem(file, at == null ? 0 : at.getLineNr(), null,
                    "is not valid YAML: " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, null, "cannot be read: " + e.getMessage())));
        }
    }

    /** Walks the token stream once and records, for each JSON pointer, the line it starts on. */
    private static Map<String, Integer> indexLines(String text) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        Deque<String> path = new ArrayDeque<>();
        Deque<int[]> arrayIndex = new ArrayDeque<>();
        Deque<Boolean> inArray = new ArrayDeque<>();
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.FIELD_NAME) {
                    path.addLast(p.currentName());
                    lines.putIfAbsent(pointer(path), line);
                    continue;
                }
                boolean arrayElement = !inArray.isEmpty() && inArray.peekLast();
                if (arrayElement && t != JsonToken.END_ARRAY && t != JsonToken.END_OBJECT) {
                    int i = arrayIndex.peekLast()[0]++;
                    path.addLast(Integer.toString(i));
                    lines.putIfAbsent(pointer(path), line);
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    inArray.addLast(t == JsonToken.START_ARRAY);
                    arrayIndex.addLast(new int[] {0});
                    if (path.isEmpty()) lines.putIfAbsent("", line);
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    inArray.removeLast();
                    arrayIndex.removeLast();
                    popValue(path, inArray);
                } else {
                    popValue(path, inArray);
                }
            }
        }
        return lines;
    }

    /** After a value ends, its own path segment (field name or array index) is done. */
    private static void popValue(Deque<String> path, Deque<Boolean> inArray) {
        if (!path.isEmpty()) path.removeLast();
    }

    private static String pointer(Deque<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String s : path) sb.append('/').append(s.replace("~", "~0").replace("/", "~1"));
        return sb.toString();
    }

    public Path file() {
        return file;
    }

    public JsonNode root() {
        return root;
    }

    /** The line of the field at a JSON pointer, or of its nearest ancestor that has one. */
    public int lineOf(String pointer) {
        String p = pointer == null ? "" : pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) return line;
            if (p.isEmpty()) return 1;
            p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
        }
    }

    public <T> T as(Class<T> type) {
        try {
            return YAML.treeToValue(root, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, null, e.getOriginalMessage())));
        }
    }
}
