package io.memsync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

/** JSON reading and writing of the commands: pretty with two-space indents, or one line. */
final class Output {
    private Output() {
    }

    /** {@code value} on one line. */
    static String line(JsonValue value) {
        return value.toString();
    }

    /** {@code value} indented by two spaces per level. */
    static String pretty(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        pretty(value, sb, 0);
        return sb.toString();
    }

    private static void pretty(JsonValue v, StringBuilder sb, int depth) {
        switch (v.getValueType()) {
            case OBJECT -> {
                JsonObject o = v.asJsonObject();
                if (o.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append("{\n");
                int i = 0;
                for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                    indent(sb, depth + 1);
                    sb.append(Json.createValue(e.getKey())).append(": ");
                    pretty(e.getValue(), sb, depth + 1);
                    sb.append(++i < o.size() ? ",\n" : "\n");
                }
                indent(sb, depth);
                sb.append('}');
            }
            case ARRAY -> {
                JsonArray a = v.asJsonArray();
                if (a.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append("[\n");
                for (int i = 0; i < a.size(); i++) {
                    indent(sb, depth + 1);
                    pretty(a.get(i), sb, depth + 1);
                    sb.append(i + 1 < a.size() ? ",\n" : "\n");
                }
                indent(sb, depth);
                sb.append(']');
            }
            default -> sb.append(v);
        }
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.append("  ".repeat(depth));
    }

    /** Prints {@code value} pretty, or on one line when {@code raw}. */
    static void print(PrintWriter out, JsonValue value, boolean raw) {
        out.println(raw ? line(value) : pretty(value));
        out.flush();
    }

    /**
     * Parses a JSON value.
     *
     * @param text the text
     * @param what what it is, for the error message
     * @return the value
     * @throws MemSyncCli.Refusal {@code ERR_INVALID_JSON} naming {@code what}
     */
    static JsonValue parse(String text, String what) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readValue();
        } catch (JsonParsingException | IllegalStateException e) {
            throw new MemSyncCli.Refusal("ERR_INVALID_JSON", what + " is not JSON: " + e.getMessage());
        }
    }

    /** An argument as JSON when it parses, else as a JSON string (so {@code hello} needs no quotes). */
    static JsonValue argument(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readValue();
        } catch (RuntimeException e) {
            return Json.createValue(text);
        }
    }

    /**
     * The text of an argument that may name a file ({@code @file}) or stdin ({@code -}).
     *
     * @param arg   the argument
     * @param stdin the standard input
     * @return the text
     * @throws IOException when the file cannot be read
     */
    static String textArgument(String arg, InputStream stdin) throws IOException {
        if (arg.equals("-")) {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (arg.startsWith("@")) {
            return Files.readString(Path.of(arg.substring(1)), StandardCharsets.UTF_8);
        }
        return arg;
    }

    /** A JSON string's text, or the value's JSON. */
    static String plain(JsonValue v) {
        return v instanceof JsonString s ? s.getString() : v.toString();
    }
}
