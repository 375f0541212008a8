package dev.uprobebench.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's numbers in the formats of continuous-benchmarking tools, so that a team tracking
 * commits can feed them what a run measured (fork-level intervals included) without re-parsing
 * our files:
 *
 * <ul>
 *   <li>{@code bencher.json}: Bencher Metric Format (bencher.dev, {@code bencher run --adapter json
 *       --file bencher.json}). One benchmark per configuration (its id); measures
 *       {@code throughput} (hits/s, with {@code lower_value}/{@code upper_value} from the 95%
 *       interval over forks), {@code writer-throughput} (ops/s, same), {@code hit-p99} and
 *       {@code hit-p99-9} (ns, from the latency run: one value, no interval).</li>
 *   <li>{@code github-action-benchmark.json}: {@code customBiggerIsBetter} for
 *       benchmark-action/github-action-benchmark (name, unit, value, range, extra: hits/s and
 *       writer ops/s); {@code github-action-benchmark-latency.json}: {@code customSmallerIsBetter}
 *       (hit p99 and p99.9 in ns).</li>
 * </ul>
 *
 * Invalid configurations (violations, failed, unchecked) and the negative control are left out,
 * and the caller lists them. Bencher's format has no place for a label, so an unpinned or
 * oversubscribed configuration is exported and its qualifiers go to the action's {@code extra}.
 */
public final class Exports {
    /** A configuration left out, and why. */
    public record Excluded(String id, String reason) {
    }

    private Exports() {
    }

    /** Writes the three files into {@code dir} and returns what was left out. */
    public static List<Excluded> write(Path dir, Analysis analysis) {
        List<Excluded> excluded = new ArrayList<>();
        List<Analysis.Row> rows = exported(analysis, excluded);
        GsonBuilder g = new GsonBuilder().setPrettyPrinting();
        ReportFiles.writeAtomically(dir.resolve(ReportFiles.BENCHER), g.create().toJson(bencher(rows)) + "\n");
        ReportFiles.writeAtomically(dir.resolve(ReportFiles.ACTION_BIGGER), g.create().toJson(actionBigger(rows)) + "\n");
        ReportFiles.writeAtomically(dir.resolve(ReportFiles.ACTION_SMALLER), g.create().toJson(actionSmaller(rows)) + "\n");
        return excluded;
    }

    /** The rows that are exported; the others are added to {@code excluded}. */
    static List<Analysis.Row> exported(Analysis analysis, List<Excluded> excluded) {
        List<Analysis.Row> rows = new ArrayList<>();
        for (Analysis.Row r : analysis.rows()) {
            ConfigOutcome o = r.outcome();
            if (o.spec().negativeControl()) {
                excluded.add(new Excluded(o.id(), "negative control (unsafe by design)"));
            } else if (!o.valid()) {
                List<String> q = o.qualifiers();
                excluded.add(new Excluded(o.id(), o.status() != Status.OK ? o.status().json()
                        : q.isEmpty() ? "not valid" : q.get(0)));
            } else if (r.hits().n() == 0) {
                excluded.add(new Excluded(o.id(), "no finished fork"));
            } else {
                rows.add(r);
            }
        }
        return rows;
    }

    static JsonObject bencher(List<Analysis.Row> rows) {
        JsonObject root = new JsonObject();
        for (Analysis.Row r : rows) {
            JsonObject b = new JsonObject();
            b.add("throughput", metric(r.hits()));
            if (r.writer().n() > 0) {
                b.add("writer-throughput", metric(r.writer()));
            }
            Long p99 = hitPercentile(r.outcome(), "p99");
            Long p999 = hitPercentile(r.outcome(), "p99.9");
            if (p99 != null) {
                b.add("hit-p99", value(p99));
            }
            if (p999 != null) {
                b.add("hit-p99-9", value(p999));
            }
            root.add(r.outcome().id(), b);
        }
        return root;
    }

    private static JsonObject metric(Estimate e) {
        JsonObject m = new JsonObject();
        m.addProperty("value", e.mean());
        if (e.hasInterval()) {
            m.addProperty("lower_value", e.low());
            m.addProperty("upper_value", e.high());
        }
        return m;
    }

    private static JsonObject value(double v) {
        JsonObject m = new JsonObject();
        m.addProperty("value", v);
        return m;
    }

    static Long hitPercentile(ConfigOutcome o, String p) {
        Map<String, Long> hit = o.totals().latency().get("hit");
        return hit == null ? null : hit.get(p);
    }

    static JsonArray actionBigger(List<Analysis.Row> rows) {
        JsonArray a = new JsonArray();
        for (Analysis.Row r : rows) {
            a.add(entry(r.outcome().id() + " hits/s", "hits/s", r.hits(), r.outcome()));
            if (r.writer().n() > 0) {
                a.add(entry(r.outcome().id() + " writer ops/s", "ops/s", r.writer(), r.outcome()));
            }
        }
        return a;
    }

    static JsonArray actionSmaller(List<Analysis.Row> rows) {
        JsonArray a = new JsonArray();
        for (Analysis.Row r : rows) {
            for (String p : List.of("p99", "p99.9")) {
                Long v = hitPercentile(r.outcome(), p);
                if (v != null) {
                    JsonObject e = new JsonObject();
                    e.addProperty("name", r.outcome().id() + " hit " + p);
                    e.addProperty("unit", "ns");
                    e.addProperty("value", v);
                    e.addProperty("extra", extra(r.outcome()));
                    a.add(e);
                }
            }
        }
        return a;
    }

    private static JsonObject entry(String name, String unit, Estimate e, ConfigOutcome o) {
        JsonObject j = new JsonObject();
        j.addProperty("name", name);
        j.addProperty("unit", unit);
        j.addProperty("value", e.mean());
        if (e.hasInterval()) {
            j.addProperty("range", String.format(Locale.ROOT, "± %.4g (95%% over %d forks)", e.high() - e.mean(),
                    e.n()));
        }
        j.addProperty("extra", extra(o));
        return j;
    }

    private static String extra(ConfigOutcome o) {
        List<String> q = o.qualifiers();
        return o.spec().label() + ", " + o.spec().scenario() + (q.isEmpty() ? "" : "; " + String.join("; ", q));
    }
}
