package dev.uprobebench.run;

import dev.uprobebench.bench.KeySequence;
import dev.uprobebench.bench.TrapCost;
import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.pin.PinPolicy;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.sync.RcuFlavour;
import dev.uprobebench.uret.Lifetime;
import dev.uprobebench.uret.ReturnProbeConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A benchmark profile ({@code profiles/NAME.properties}): which back-ends, thread counts,
 * workloads and JMH settings to run, and whether latency and profiling are on. Every key has a
 * default; an unknown key or a bad value is a {@link UsageException} naming the key and what it
 * accepts. {@code --set key=value} overrides go through the same checks.
 */
public final class Profile {
    /** Every key, its default, and what it accepts (the order is the order of the docs). */
    static final Map<String, String[]> KEYS = new LinkedHashMap<>();

    static {
        key("backends", "safe", "comma-separated back-end names (" + Backend.names() + "), 'safe' for every safe "
                + "model, 'mainline' for the model of the host kernel's own design (rwlock to 6.11, srcu 6.12, "
                + "seqcount-rcu from 6.13)");
        key("readers", "1..max", "comma-separated counts (a count may be 'max': every core left after writers), "
                + "or '1..max' / '1..N' (powers of two up to the cores left after writers, capped at N, plus that maximum)");
        key("writers", "1", "writer threads in configurations with churn (>= 1)");
        key("churn", "0,max", "comma-separated per-writer register+unregister rates: 0 (no writers), N per second (<= 1000000000), max");
        key("churn-keys", "64", "number of keys the writers register and unregister (>= 1)");
        key("churn-read-fraction", "0", "share of reads aimed at churn keys, in [0, 1]");
        key("key-layout", "separate", "where the churn keys sit: separate (a file of their own, after every stable "
                + "key) or interleaved (between stable keys, so that the writers' rotations move the nodes the stable "
                + "lookups walk through and the seqcount retry is exercised; needs churn-keys <= every stable size)");
        key("sync-every", "1", "unregistrations per synchronize() (1: uprobe_unregister; N: batched; 0: never)");
        key("stable", "1024", "comma-separated stable-set sizes (>= 1)");
        key("distribution", "uniform", "comma-separated key distributions: uniform, zipf");
        key("zipf-exponent", "0.99", "Zipf exponent (> 0, <= 100)");
        key("handler-work", "0", "comma-separated handler work per hit, in Blackhole.consumeCPU tokens (>= 0)");
        key("vma", "none", "comma-separated ways a hit finds its VMA: " + VmaLookup.names()
                + " (none: the registry alone; mmap-lock: up to 6.13; speculative: 6.14)");
        key("mm-writers", "1", "address-space writer threads (mmap/munmap) in configurations with a VMA lookup, when "
                + "mm-churn is not 0 (>= 1)");
        key("mm-churn", "0", "comma-separated per-address-space-writer mmap+munmap rates, for configurations with a VMA "
                + "lookup: 0 (no address-space writers), N per second (<= 1000000000), max");
        key("trap-cost", "none", "fixed per-hit work outside the registry for the kernel's trap: none, int3 (300 ns: "
                + "int3 + single-step), nop5 (140 ns: 6.18's optimised path), N ns (e.g. 250ns, <= 1000000ns), or this host's "
                + "measured uprobe hit: host-int3, host-nop5 (host: host-nop5; where real uprobes cannot be used, the "
                + "synthetic int3 or nop5, and the report says so)");
        key("uretprobe", "none", "comma-separated return-probe lifetimes: none, " + Lifetime.names()
                + " (every design but none runs on seqcount-rcu, the mainline lookup, with vma=none)");
        key("uret-duration", "0", "comma-separated function durations for return probes: hits before the return "
                + "(0: before the next hit, as trig-uretprobe-nop) or a time (e.g. 200us, 2ms)");
        key("uret-share", "1", "share of uprobes that are return probes, in [0, 1]");
        key("uret-depth", "64", "pending returns per thread before entries are skipped (>= 1; the kernel's is 64)");
        key("uret-timeout", "100ms", "the per-task lease timer, re-armed on each entry (e.g. 100ms, 5ms)");
        key("ri-alloc", "pool", "comma-separated return-instance sources: pool (6.14's ri_pool), alloc (one per entry)");
        key("kernel-trap", "nop5", "comma-separated trap kinds of the kernel back-end's probed functions: int3 (the "
                + "classic breakpoint), nop5 (a 5-byte nop: 6.18 turns it into a call, the uprobe-syscall path)");
        key("kernel-probe", "uprobe", "comma-separated probe kinds of the kernel back-end: uprobe, uretprobe (the same "
                + "PMU with the retprobe bit: the kernel's return-probe path)");
        key("kernel-attach", "thread", "how the kernel back-end's readers are counted: thread (a perf event per "
                + "reader on each probe: N readers, N consumers), shared (one tracefs probe, one consumer, counted on "
                + "every CPU)");
        key("kernel-stable", "1", "probed functions the kernel back-end's readers hit in turn (1 to "
                + Profile.MAX_KERNEL_STABLE + "; the kernel row's stable size)");
        key("kernel-readers", "same", "reader counts of the kernel back-end: 'same' (the readers key), or as readers");
        key("rcu-flavour", "qsbr", "comma-separated RCU read sides for RCU-based back-ends: " + RcuFlavour.names());
        key("pinning", "physical", "thread placement: " + PinPolicy.names());
        key("warmup-iterations", "2", "JMH warm-up iterations (>= 0)");
        key("warmup-time", "1s", "JMH warm-up iteration time (e.g. 500ms, 1s, 2m; at most 60m)");
        key("measurement-iterations", "3", "JMH measurement iterations (>= 1)");
        key("measurement-time", "1s", "JMH measurement iteration time (e.g. 500ms, 1s, 2m; at most 60m)");
        key("rounds", "3", "rounds (>= 1): each runs one fork of every configuration in a freshly shuffled order; "
                + "a configuration's figure and interval come from its forks (3 or more for an interval a comparison "
                + "can use)");
        key("latency-rounds", "1", "how many of the first rounds also run the latency benchmark (>= 1; capped at rounds)");
        key("seed", "random", "seed of the per-round shuffles: a whole number, or 'random' (drawn and recorded)");
        key("latency", "true", "also run the latency benchmark (every hit timed): true, false");
        key("gc-profiler", "false", "add JMH's gc profiler (gc.alloc.rate.norm per op): true, false");
        key("profiling", "false", "record CPU flame graphs with async-profiler: true, false");
        key("profiler-event", "auto", "async-profiler event: auto (cpu, else itimer), cpu, itimer");
        key("jvm-args", "-Xms2g -Xmx2g -XX:+AlwaysPreTouch", "extra JVM arguments for the forked benchmark JVMs");
    }

    private static void key(String name, String def, String accepts) {
        KEYS.put(name, new String[] {def, accepts});
    }

    private final String name;
    private final String question;
    private final Map<String, String> values = new LinkedHashMap<>();
    private Long drawnSeed;
    private ProfileSettings settings;

    private Profile(String name, String question) {
        this.name = name;
        this.question = question;
        KEYS.forEach((k, v) -> values.put(k, v[0]));
    }

    /** Loads a profile by name ({@code profiles/NAME.properties} under {@code home}) or by path. */
    public static Profile load(String nameOrPath, Path home, List<String> overrides) {
        Path file;
        if (nameOrPath.endsWith(".properties") || nameOrPath.contains("/")) {
            file = Path.of(nameOrPath);
        } else {
            file = home.resolve("profiles").resolve(nameOrPath + ".properties");
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException("unknown profile '" + nameOrPath + "' (no file " + file + "); valid: "
                    + String.join(", ", available(home)) + ", or a path to a .properties file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read profile " + file + ": " + e.getMessage());
        }
        String base = file.getFileName().toString().replaceFirst("\\.properties$", "");
        return parse(base, text, overrides);
    }

    /** Profile names found under {@code home/profiles}. */
    public static List<String> available(Path home) {
        try (var s = Files.list(home.resolve("profiles"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".properties"))
                    .map(n -> n.substring(0, n.length() - ".properties".length())).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The question a profile file answers: its first comment paragraph. */
    public static String questionOf(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (!t.startsWith("#")) {
                break;
            }
            String c = t.replaceFirst("^#+\\s?", "");
            if (c.isEmpty()) {
                if (sb.length() > 0) {
                    break;
                }
                continue;
            }
            sb.append(sb.length() > 0 ? " " : "").append(c);
        }
        return sb.toString();
    }

    /** Parses profile text and applies {@code key=value} overrides. */
    public static Profile parse(String name, String text, List<String> overrides) {
        Profile p = new Profile(name, questionOf(text));
        Properties props = new Properties();
        try (Reader r = new StringReader(text)) {
            props.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("malformed profile '" + name + "': " + e.getMessage());
        }
        for (String k : props.stringPropertyNames()) {
            p.set(k, props.getProperty(k).trim(), "profile '" + name + "'");
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set needs key=value, got '" + o + "'; keys: " + String.join(", ", KEYS.keySet()));
            }
            p.set(o.substring(0, eq).trim(), o.substring(eq + 1).trim(), "--set");
        }
        p.settings = p.typed();
        return p;
    }

    /** The settings as typed values (parsed and checked when the profile was loaded). */
    public ProfileSettings settings() {
        return settings;
    }

    private ProfileSettings typed() {
        List<Integer> stable = new ArrayList<>();
        for (long s : intList("stable", 1)) {
            if (s > Integer.MAX_VALUE) {
                throw bad("stable", s + " > " + Integer.MAX_VALUE);
            }
            stable.add((int) s);
        }
        int rounds = intValue("rounds");
        List<String> jvmArgs = new ArrayList<>();
        for (String a : get("jvm-args").split("\\s+")) {
            if (!a.isEmpty()) {
                jvmArgs.add(a);
            }
        }
        return new ProfileSettings(List.copyOf(backends()), readerSpec(), intValue("writers"), List.copyOf(churnRates()),
                intValue("churn-keys"), doubleValue("churn-read-fraction"), intValue("sync-every"), List.copyOf(stable),
                List.copyOf(list("distribution")), doubleValue("zipf-exponent"), List.copyOf(intList("handler-work", 0)),
                List.copyOf(rcuFlavours()), List.copyOf(vmaLookups()), intValue("mm-writers"), List.copyOf(mmChurn()), hostTrap() != null ? 0 : TrapCost.parse(get("trap-cost")),
                List.copyOf(uretprobes()), List.copyOf(uretDurations()), doubleValue("uret-share"), intValue("uret-depth"),
                get("uret-timeout"), List.copyOf(riAllocs()), keyLayout(stable),
                PinPolicy.byName(get("pinning")), intValue("warmup-iterations"),
                millis("warmup-time"), intValue("measurement-iterations"), millis("measurement-time"), rounds,
                bool("latency") ? Math.min(rounds, intValue("latency-rounds")) : 0, seed(), bool("gc-profiler"),
                bool("profiling"), get("profiler-event"), List.copyOf(jvmArgs), kernel(), hostTrap());
    }

    private void set(String key, String value, String where) {
        if (key.equals("forks")) {
            throw new UsageException("key 'forks' in " + where + " was replaced by 'rounds': each round runs one fork "
                    + "of every configuration, shuffled; use rounds=" + value);
        }
        if (!KEYS.containsKey(key)) {
            throw new UsageException("unknown key '" + key + "' in " + where + "; valid keys: "
                    + String.join(", ", KEYS.keySet()));
        }
        values.put(key, value);
        validate(key);
    }

    private KeyLayout keyLayoutOf() {
        try {
            return KeyLayout.byName(get("key-layout"));
        } catch (IllegalArgumentException e) {
            throw bad("key-layout", "");
        }
    }

    /** The key layout, refused when interleaving cannot hold the churn keys of some stable size. */
    private KeyLayout keyLayout(List<Integer> stable) {
        KeyLayout layout = keyLayoutOf();
        for (int s : stable) {
            try {
                layout.check(s, intValue("churn-keys"));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return layout;
    }

    private UsageException bad(String key, String detail) {
        return new UsageException("bad value '" + values.get(key) + "' for " + key + (detail.isEmpty() ? "" : " (" + detail
                + ")") + "; valid: " + KEYS.get(key)[1]);
    }

    private void validate(String key) {
        switch (key) {
            case "backends":
                backends();
                break;
            case "readers":
                readerSpec();
                break;
            case "kernel-trap":
            case "kernel-probe":
            case "kernel-attach":
            case "kernel-stable":
            case "kernel-readers":
                kernel();
                break;
            case "writers":
            case "mm-writers":
                positive(key, 1);
                break;
            case "vma":
                vmaLookups();
                break;
            case "trap-cost":
                if (hostTrap() == null && TrapCost.parse(get(key)) < 0) {
                    throw bad(key, "");
                }
                break;
            case "mm-churn":
                mmChurn();
                break;
            case "uretprobe":
                uretprobes();
                break;
            case "uret-duration":
                uretDurations();
                break;
            case "uret-depth":
                positive(key, 1);
                break;
            case "uret-timeout":
                try {
                    ReturnProbeConfig.of(Lifetime.HPROBE).withTimeout(get(key));
                } catch (IllegalArgumentException e) {
                    throw bad(key, "");
                }
                break;
            case "ri-alloc":
                riAllocs();
                break;
            case "key-layout":
                keyLayoutOf();
                break;
            case "churn":
                churnRates();
                break;
            case "churn-keys":
            case "measurement-iterations":
            case "rounds":
            case "latency-rounds":
                positive(key, 1);
                break;
            case "warmup-iterations":
            case "sync-every":
                positive(key, 0);
                break;
            case "churn-read-fraction":
            case "uret-share": {
                double f = doubleValue(key);
                if (!(f >= 0 && f <= 1)) {
                    throw bad(key, "");
                }
                break;
            }
            case "zipf-exponent":
                if (!(doubleValue(key) > 0 && doubleValue(key) <= MAX_ZIPF_EXPONENT)) {
                    throw bad(key, "");
                }
                break;
            case "stable":
                intList(key, 1);
                break;
            case "handler-work":
                intList(key, 0);
                break;
            case "distribution":
                for (String d : list(key)) {
                    try {
                        KeySequence.Distribution.byName(d);
                    } catch (IllegalArgumentException e) {
                        throw bad(key, "");
                    }
                }
                break;
            case "rcu-flavour":
                rcuFlavours();
                break;
            case "pinning":
                try {
                    PinPolicy.byName(get(key));
                } catch (IllegalArgumentException e) {
                    throw bad(key, "");
                }
                break;
            case "warmup-time":
            case "measurement-time":
                millis(key);
                break;
            case "latency":
            case "gc-profiler":
            case "profiling":
                bool(key);
                break;
            case "seed":
                seed();
                break;
            case "profiler-event":
                if (!List.of("auto", "cpu", "itimer").contains(get(key))) {
                    throw bad(key, "");
                }
                break;
            default:
                break;
        }
    }

    public String name() {
        return name;
    }

    /** The shuffle seed: the profile's number, or one drawn once for this profile when it says 'random'. */
    public long seed() {
        String v = get("seed");
        if (v.equals("random")) {
            if (drawnSeed == null) {
                drawnSeed = new java.security.SecureRandom().nextLong() >>> 1;
            }
            return drawnSeed;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad("seed", "");
        }
    }

    /** The question this profile answers (its opening comment). */
    public String question() {
        return question;
    }

    public String get(String key) {
        return values.get(key);
    }

    private List<String> list(String key) {
        List<String> l = Arrays.stream(get(key).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
        if (l.isEmpty()) {
            throw bad(key, "empty");
        }
        return l;
    }

    private int positive(String key, int min) {
        try {
            int v = Integer.parseInt(get(key));
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad(key, "");
    }

    private int intValue(String key) {
        return Integer.parseInt(get(key));
    }

    private List<Long> intList(String key, long min) {
        List<Long> out = new ArrayList<>();
        for (String s : list(key)) {
            try {
                long v = Long.parseLong(s);
                if (v < min) {
                    throw bad(key, s + " < " + min);
                }
                out.add(v);
            } catch (NumberFormatException e) {
                throw bad(key, "'" + s + "' is not a number");
            }
        }
        return out;
    }

    private double doubleValue(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw bad(key, "not a number");
        }
    }

    private boolean bool(String key) {
        String v = get(key).toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw bad(key, "");
    }

    /** A duration such as {@code 500ms}, {@code 2s}, {@code 1m}, in milliseconds. */
    private long millis(String key) {
        String v = get(key);
        try {
            if (v.endsWith("ms")) {
                return check(key, Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return check(key, Math.multiplyExact(Long.parseLong(v.substring(0, v.length() - 1)), 1000L));
            }
            if (v.endsWith("m")) {
                return check(key, Math.multiplyExact(Long.parseLong(v.substring(0, v.length() - 1)), 60_000L));
            }
        } catch (NumberFormatException e) {
            // below
        } catch (ArithmeticException e) {
            throw bad(key, "more than " + MAX_ITERATION_MILLIS / 60_000 + " minutes");
        }
        throw bad(key, "needs a unit: ms, s or m");
    }

    /** Longest JMH iteration a profile may ask for: an hour (a typo of a few zeros is refused, not run). */
    static final long MAX_ITERATION_MILLIS = 3_600_000;

    private long check(String key, long ms) {
        if (ms < 1) {
            throw bad(key, "");
        }
        if (ms > MAX_ITERATION_MILLIS) {
            throw bad(key, "more than " + MAX_ITERATION_MILLIS / 60_000 + " minutes");
        }
        return ms;
    }

    /** The RCU read sides to run the RCU-based back-ends with. */
    private List<RcuFlavour> rcuFlavours() {
        List<RcuFlavour> out = new ArrayList<>();
        for (String f : list("rcu-flavour")) {
            try {
                RcuFlavour r = RcuFlavour.byName(f);
                if (!out.contains(r)) {
                    out.add(r);
                }
            } catch (IllegalArgumentException e) {
                throw bad("rcu-flavour", "'" + f + "'");
            }
        }
        return out;
    }

    public List<Backend> backends() {
        List<Backend> out = new ArrayList<>();
        for (String n : list("backends")) {
            if (n.equals("safe")) {
                Backend.safeOnes().stream().filter(b -> !out.contains(b)).forEach(out::add);
                continue;
            }
            if (n.equals("mainline")) {
                Backend b = Backend.mainlineOf(System.getProperty("os.version"));
                if (b == null) {
                    throw new UsageException("backends: 'mainline' needs the host's kernel version, and os.version '"
                            + System.getProperty("os.version") + "' has none; name the back-end instead");
                }
                if (!out.contains(b)) {
                    out.add(b);
                }
                continue;
            }
            try {
                Backend b = Backend.byName(n);
                if (!out.contains(b)) {
                    out.add(b);
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException("unknown back-end '" + n + "' in backends; valid: " + Backend.names()
                        + ", 'safe' (every safe model), or 'mainline' (the model of the host kernel's own design)");
            }
        }
        return out;
    }

    /** Reader counts: an explicit list, or a range {@code 1..max} / {@code 1..N}. */
    public ReaderSpec readerSpec() {
        return readerSpec("readers");
    }

    private ReaderSpec readerSpec(String key) {
        String v = get(key).trim();
        if (v.startsWith("1..")) {
            String top = v.substring(3);
            if (top.equals("max")) {
                return new ReaderSpec(null, Integer.MAX_VALUE);
            }
            try {
                int cap = Integer.parseInt(top);
                if (cap >= 1) {
                    return new ReaderSpec(null, cap);
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw bad(key, "");
        }
        List<Integer> counts = new ArrayList<>();
        for (String item : list(key)) {
            if (item.equals("max")) {
                counts.add(ReaderSpec.MAX);
                continue;
            }
            try {
                int c = Integer.parseInt(item);
                if (c >= 1) {
                    counts.add(c);
                    continue;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw bad(key, "'" + item + "'");
        }
        return new ReaderSpec(counts, 0);
    }

    /** Explicit reader counts ({@link #MAX} for "max"), or a range capped at {@code cap}. */
    public record ReaderSpec(List<Integer> explicit, int cap) {
        /** Marks "as many readers as cores are left" in an explicit list. */
        public static final int MAX = -1;

        /** The counts for {@code available} cores (after writers), without duplicates. */
        public List<Integer> expand(int available) {
            List<Integer> out = new ArrayList<>();
            if (explicit != null) {
                for (int c : explicit) {
                    int n = c == MAX ? available : c;
                    if (!out.contains(n)) {
                        out.add(n);
                    }
                }
                return out;
            }
            int top = Math.min(cap, available);
            for (int r = 1; r < top; r <<= 1) {
                out.add(r);
            }
            if (top >= 1) {
                out.add(top);
            }
            return out;
        }
    }

    /** The host trap {@code trap-cost} asks to measure ({@code host}: nop5), or null for a synthetic cost. */
    private String hostTrap() {
        switch (get("trap-cost").trim()) {
            case "host":
            case "host-nop5":
                return "nop5";
            case "host-int3":
                return "int3";
            default:
                return null;
        }
    }

    /** Probed functions per kernel row: one page of targets is plenty for a registry walk. */
    static final int MAX_KERNEL_STABLE = 64;

    /** The kernel back-end's axes, checked: each list from its allowed values. */
    private ProfileSettings.Kernel kernel() {
        List<String> traps = oneOf("kernel-trap", List.of("int3", "nop5"));
        List<String> probes = oneOf("kernel-probe", List.of("uprobe", "uretprobe"));
        String attach = get("kernel-attach").trim();
        if (!List.of("thread", "shared").contains(attach)) {
            throw bad("kernel-attach", "");
        }
        int stable = positive("kernel-stable", 1);
        if (stable > MAX_KERNEL_STABLE) {
            throw bad("kernel-stable", stable + " > " + MAX_KERNEL_STABLE);
        }
        ReaderSpec readers = get("kernel-readers").trim().equals("same") ? null : readerSpec("kernel-readers");
        return new ProfileSettings.Kernel(traps, probes, attach, stable, readers);
    }

    private List<String> oneOf(String key, List<String> allowed) {
        List<String> l = list(key);
        for (String v : l) {
            if (!allowed.contains(v)) {
                throw bad(key, "'" + v + "'");
            }
        }
        return List.copyOf(l);
    }

    /** Highest paced rate per writer: one operation per nanosecond. */
    static final long MAX_CHURN_RATE = 1_000_000_000L;
    static final double MAX_ZIPF_EXPONENT = 100;

    public List<String> churnRates() {
        return rates("churn");
    }

    /** The address-space writers' rates: {@code 0}, a number per second, or {@code max}. */
    public List<String> mmChurn() {
        return rates("mm-churn");
    }

    /** Return-probe lifetimes to run ({@code none} or a {@link Lifetime} label), without duplicates. */
    private List<String> uretprobes() {
        return distinct("uretprobe", v -> {
            if (!v.equals("none")) {
                Lifetime.byName(v);
            }
        });
    }

    private List<String> uretDurations() {
        return distinct("uret-duration", ReturnProbeConfig::parseDuration);
    }

    private List<String> riAllocs() {
        return distinct("ri-alloc", v -> ReturnProbeConfig.of(Lifetime.REFCOUNT).withRiAlloc(v));
    }

    /** The key's list without duplicates; a value {@code check} refuses is a bad value of the key. */
    private List<String> distinct(String key, Consumer<String> check) {
        List<String> out = new ArrayList<>();
        for (String v : list(key)) {
            try {
                check.accept(v);
            } catch (IllegalArgumentException e) {
                throw bad(key, "'" + v + "'");
            }
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** The VMA lookups to run, without duplicates. */
    private List<VmaLookup> vmaLookups() {
        List<VmaLookup> out = new ArrayList<>();
        for (String v : list("vma")) {
            try {
                VmaLookup l = VmaLookup.byName(v);
                if (!out.contains(l)) {
                    out.add(l);
                }
            } catch (IllegalArgumentException e) {
                throw bad("vma", "'" + v + "'");
            }
        }
        return out;
    }

    private List<String> rates(String key) {
        List<String> out = new ArrayList<>();
        for (String r : list(key)) {
            if (r.equals("max")) {
                out.add(r);
                continue;
            }
            try {
                long n = Long.parseLong(r);
                if (n > MAX_CHURN_RATE) {
                    throw bad(key, "'" + r + "' is above " + MAX_CHURN_RATE + " per second, a pace under 1 ns; use max");
                }
                if (n >= 0) {
                    out.add(Long.toString(n));
                    continue;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw bad(key, "'" + r + "'");
        }
        return out;
    }

    /** The resolved profile as properties text (written into every report). */
    public String toProperties() {
        StringBuilder sb = new StringBuilder();
        sb.append("# profile '").append(name).append("' as resolved (defaults and --set overrides applied)\n");
        if (!question.isEmpty()) {
            sb.append("# ").append(question).append('\n');
        }
        values.forEach((k, v) -> sb.append(k).append('=').append(k.equals("seed") ? Long.toString(seed()) : v)
                .append('\n'));
        return sb.toString();
    }

    public static void describeKeys(Consumer<String> out) {
        KEYS.forEach((k, v) -> out.accept(String.format("  %-24s default %-12s %s", k, v[0], v[1])));
    }
}
