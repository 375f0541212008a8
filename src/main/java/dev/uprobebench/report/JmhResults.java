package dev.uprobebench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading JMH's JSON result format. */
public final class JmhResults {
    private JmhResults() {
    }

    public static JsonArray read(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonArray();
    }
}
