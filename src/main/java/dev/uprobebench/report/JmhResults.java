package dev.uprobebench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading JMH's JSON result format. */
public final class JmhResults {
    private JmhResults() {
    }

    public static JsonArray read(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonArray();
    }

    /** The metric object ({@code score}, {@code scoreError}, {@code rawData}) or null. */
    public static JsonObject metric(JsonObject run, String secondary) {
        if (secondary == null) {
            return run.getAsJsonObject("primaryMetric");
        }
        JsonObject sec = run.getAsJsonObject("secondaryMetrics");
        return sec != null && sec.has(secondary) ? sec.getAsJsonObject(secondary) : null;
    }

    public static Double score(JsonObject metric) {
        return metric == null ? null : finite(metric.get("score"));
    }

    public static Double error(JsonObject metric) {
        return metric == null ? null : finite(metric.get("scoreError"));
    }

    private static Double finite(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        try {
            double d = e.getAsDouble();
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException | UnsupportedOperationException ex) {
            return null;
        }
    }

    /** Every iteration's value, all forks flattened. */
    public static List<Double> iterations(JsonObject metric) {
        List<Double> out = new ArrayList<>();
        if (metric == null || !metric.has("rawData")) {
            return out;
        }
        for (JsonElement fork : metric.getAsJsonArray("rawData")) {
            for (JsonElement v : fork.getAsJsonArray()) {
                out.add(v.getAsDouble());
            }
        }
        return out;
    }
}
