package dev.uprobebench.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code invariants.json}: one flat object per configuration, the keys of report format
 * {@value ConfigOutcome#REPORT_FORMAT} in their usual order (the spec's, the totals', the forks'
 * scores as parallel lists, the status), so that users' scripts and older reports read the same.
 */
public final class OutcomeJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    /** The keys in the order reports have always written them; a key not listed goes last. */
    private static final List<String> ORDER = List.of("id", "backendKey", "configKey", "label", "scenario", "backend",
            "rcuFlavour", "readers", "writers", "churn", "stable", "distribution", "handlerWork", "vmaLookup",
            "mmWriters", "mmChurn", "speculations", "fallbacks", "stepBoundFallbacks", "revalidationFallbacks",
            "translationsUnchecked", "mmOps", "trapNanos", "keyLayout", "trapMeasuredNanos", "uretprobe", "uretDuration", "riAlloc", "uretHits", "uretEntries", "uretReturns",
            "uretReturnsGone", "uretSkipped", "uretExpiredStable", "uretExpiredGone", "uretRiDropped",
            "uretGracePeriods", "uretGraceNanos", "uretGraceMaxNanos", "uretReturnP99Nanos", "pinPolicy",
            "oversubscribed", "negativeControl", "status", "message", "hitsPerSec", "writerOpsPerSec", "forkRounds",
            "forkHitsPerSec", "forkWriterOpsPerSec", "forkJmhErrors", "missesPerIteration", "retriesPerIteration",
            "allocBytesPerOp", "latency", "curves", "timerFloorNanos", "invariants", "violations", "trials", "pinMap",
            "pinsVerified", "problems", "flamegraphs", "kernelCalls", "kernelCounted", "profiledForkRounds",
            "profiledForkHitsPerSec");

    private OutcomeJson() {
    }

    public static String write(List<ConfigOutcome> outcomes) {
        JsonArray a = new JsonArray();
        outcomes.forEach(o -> a.add(toJson(o)));
        return GSON.toJson(a);
    }

    static JsonObject toJson(ConfigOutcome o) {
        Map<String, JsonElement> all = new LinkedHashMap<>();
        GSON.toJsonTree(o.spec()).getAsJsonObject().entrySet().forEach(e -> all.put(e.getKey(), e.getValue()));
        GSON.toJsonTree(o.totals()).getAsJsonObject().entrySet().forEach(e -> all.put(e.getKey(), e.getValue()));
        all.put("status", GSON.toJsonTree(o.status().json()));
        if (o.message() != null) {
            all.put("message", GSON.toJsonTree(o.message()));
        }
        put(all, "hitsPerSec", o.hitsPerSec());
        put(all, "writerOpsPerSec", o.writerOpsPerSec());
        all.put("forkRounds", GSON.toJsonTree(o.forkRounds()));
        all.put("forkHitsPerSec", GSON.toJsonTree(o.forkHitsPerSec()));
        all.put("forkWriterOpsPerSec", GSON.toJsonTree(o.forkWriterOpsPerSec()));
        all.put("forkJmhErrors", GSON.toJsonTree(o.forkJmhErrors()));
        put(all, "missesPerIteration", o.missesPerIteration());
        put(all, "retriesPerIteration", o.retriesPerIteration());
        put(all, "allocBytesPerOp", o.allocBytesPerOp());
        List<ForkRecord> profiled = o.profiledForks();
        if (!profiled.isEmpty()) {
            all.put("profiledForkRounds", GSON.toJsonTree(profiled.stream().map(ForkRecord::round).toList()));
            all.put("profiledForkHitsPerSec", GSON.toJsonTree(profiled.stream().map(ForkRecord::hitsPerSec).toList()));
        }
        all.put("problems", GSON.toJsonTree(o.problems()));
        all.put("flamegraphs", GSON.toJsonTree(o.flamegraphs()));
        JsonObject j = new JsonObject();
        for (String k : ORDER) {
            if (all.containsKey(k)) {
                j.add(k, all.remove(k));
            }
        }
        all.forEach(j::add);
        return j;
    }

    private static void put(Map<String, JsonElement> all, String key, Double v) {
        if (v != null) {
            all.put(key, GSON.toJsonTree(v));
        }
    }

    /** The configurations of an {@code invariants.json}. */
    public static List<ConfigOutcome> read(String json) {
        List<ConfigOutcome> l = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) {
            l.add(fromJson(e.getAsJsonObject()));
        }
        return l;
    }

    static ConfigOutcome fromJson(JsonObject j) {
        ConfigSpec spec = GSON.fromJson(j, ConfigSpec.class);
        TrialTotals totals = GSON.fromJson(j, TrialTotals.class);
        List<ForkRecord> forks = new ArrayList<>();
        List<Integer> rounds = list(j, "forkRounds", Integer.class);
        List<Double> hits = list(j, "forkHitsPerSec", Double.class);
        List<Double> writes = list(j, "forkWriterOpsPerSec", Double.class);
        List<Double> errors = list(j, "forkJmhErrors", Double.class);
        int n = Math.min(rounds.size(), hits.size());
        for (int i = 0; i < n; i++) {
            boolean last = i == n - 1;
            forks.add(new ForkRecord(rounds.get(i), hits.get(i), i < writes.size() ? writes.get(i) : 0,
                    i < errors.size() ? errors.get(i) : Double.NaN, last ? number(j, "missesPerIteration") : null,
                    last ? number(j, "retriesPerIteration") : null, last ? number(j, "allocBytesPerOp") : null));
        }
        List<Integer> profiledRounds = list(j, "profiledForkRounds", Integer.class);
        List<Double> profiledHits = list(j, "profiledForkHitsPerSec", Double.class);
        for (int i = 0; i < Math.min(profiledRounds.size(), profiledHits.size()); i++) {
            forks.add(new ForkRecord(profiledRounds.get(i), profiledHits.get(i), 0, Double.NaN, null, null, null, true));
        }
        return new ConfigOutcome(spec, Status.fromJson(string(j, "status")), string(j, "message"), forks, totals,
                list(j, "flamegraphs", String.class), List.of());
    }

    private static <T> List<T> list(JsonObject j, String key, Class<T> type) {
        List<T> l = new ArrayList<>();
        if (j.has(key) && j.get(key).isJsonArray()) {
            for (JsonElement e : j.getAsJsonArray(key)) {
                l.add(GSON.fromJson(e, type));
            }
        }
        return l;
    }

    private static Double number(JsonObject j, String key) {
        return j.has(key) && !j.get(key).isJsonNull() ? j.get(key).getAsDouble() : null;
    }

    private static String string(JsonObject j, String key) {
        return j.has(key) && !j.get(key).isJsonNull() ? j.get(key).getAsString() : null;
    }
}
