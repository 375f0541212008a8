package dev.uprobebench.run;

import dev.uprobebench.bench.TrapCost;
import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.pin.PinPolicy;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.sync.RcuFlavour;
import dev.uprobebench.uret.Lifetime;
import dev.uprobebench.uret.ReturnProbeConfig;
import dev.uprobebench.workload.KeySequence;
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
    /**
     * Every key of a profile, in the order of the docs: the one table the parser, {@code keys},
     * README's key table (checked by a test) and the typed settings are all made from.
     */
    public static final Key<List<Backend>> BACKENDS = key("backends", "safe", true, p -> p.backends(),
            "comma-separated back-end names (" + Backend.names() + "), 'safe' for every safe "
                + "model, 'mainline' for the model of the host kernel's own design (rwlock to 6.11, srcu 6.12, "
                + "seqcount-rcu from 6.13)");
    public static final Key<ReaderSpec> READERS = key("readers", "1..max", true, p -> p.readerSpec("readers"),
            "comma-separated counts (a count may be 'max': every core left after writers), "
                + "or '1..max' / '1..N' (powers of two up to the cores left after writers, capped at N, plus that maximum)");
    public static final Key<Integer> WRITERS = key("writers", "1", false, p -> p.positive("writers", 1),
            "writer threads in configurations with churn (>= 1)");
    public static final Key<List<String>> CHURN = key("churn", "0,max", true, p -> p.churnRates(),
            "comma-separated per-writer register+unregister rates: 0 (no writers), N per second (<= 1000000000), max");
    public static final Key<Integer> CHURN_KEYS = key("churn-keys", "64", false, p -> p.positive("churn-keys", 1),
            "number of keys the writers register and unregister (>= 1)");
    public static final Key<Double> CHURN_READ_FRACTION = key("churn-read-fraction", "0", false, p -> p.fraction("churn-read-fraction"),
            "share of reads aimed at churn keys, in [0, 1]");
    public static final Key<KeyLayout> KEY_LAYOUT = key("key-layout", "separate", false, p -> p.keyLayoutOf(),
            "where the churn keys sit: separate (a file of their own, after every stable "
                + "key) or interleaved (between stable keys, so that the writers' rotations move the nodes the stable "
                + "lookups walk through and the seqcount retry is exercised; needs churn-keys <= every stable size)");
    public static final Key<Integer> SYNC_EVERY = key("sync-every", "1", false, p -> p.positive("sync-every", 0),
            "unregistrations per synchronize() (1: uprobe_unregister; N: batched; 0: never)");
    public static final Key<List<Integer>> STABLE = key("stable", "1024", true, p -> p.stableSizes(),
            "comma-separated stable-set sizes (>= 1)");
    public static final Key<List<String>> DISTRIBUTION = key("distribution", "uniform", true, p -> p.distributions(),
            "comma-separated key distributions: uniform, zipf");
    public static final Key<Double> ZIPF_EXPONENT = key("zipf-exponent", "0.99", false, p -> p.zipfExponent(),
            "Zipf exponent (> 0, <= 100)");
    public static final Key<List<Long>> HANDLER_WORK = key("handler-work", "0", true, p -> p.intList("handler-work", 0),
            "comma-separated handler work per hit, in Blackhole.consumeCPU tokens (>= 0)");
    public static final Key<List<VmaLookup>> VMA = key("vma", "none", true, p -> p.vmaLookups(),
            "comma-separated ways a hit finds its VMA: " + VmaLookup.names()
                + " (none: the registry alone; mmap-lock: up to 6.13; speculative: 6.14; speculative-typesafe: 6.15, "
                + "the same as speculative with vma-free=typesafe)");
    public static final Key<List<String>> VMA_FREE = key("vma-free", "rcu", true, p -> p.oneOf("vma-free",
            List.of("rcu", "typesafe")), "comma-separated VMA lifetimes for the speculative lookup: rcu (6.14: an "
                + "unmapped VMA is freed after a grace period) or typesafe (6.15: SLAB_TYPESAFE_BY_RCU, freed and "
                + "reusable at once, the reader revalidates); mmap-lock readers hold the lock, so it is not crossed "
                + "with them");
    public static final Key<Boolean> VMA_SCOPE = key("vma-scope", "all", false, p -> p.vmaScope(),
            "which scenarios the VMA lookups other than none are crossed with: all (every churn rate, function "
                + "duration and return-instance source), baseline (the first value of churn, uret-duration and "
                + "ri-alloc only: the whole hit path as one row per design, without doubling the profile)");
    public static final Key<Integer> MM_WRITERS = key("mm-writers", "1", false, p -> p.positive("mm-writers", 1),
            "address-space writer threads (mmap/munmap) in configurations with a VMA lookup, when "
                + "mm-churn is not 0 (>= 1)");
    public static final Key<List<String>> MM_CHURN = key("mm-churn", "0", true, p -> p.mmChurn(),
            "comma-separated per-address-space-writer mmap+munmap rates, for configurations with a VMA "
                + "lookup: 0 (no address-space writers), N per second (<= 1000000000), max");
    public static final Key<Long> TRAP_COST = key("trap-cost", "none", false, p -> p.trapCost(),
            "fixed per-hit work outside the registry for the kernel's trap: none, int3 (300 ns: "
                + "int3 + single-step), nop5 (140 ns: 6.18's optimised path), N ns (e.g. 250ns, <= 1000000ns), or this host's "
                + "measured uprobe hit: host-int3, host-nop5 (host: host-nop5; where real uprobes cannot be used, the "
                + "synthetic int3 or nop5, and the report says so)");
    public static final Key<List<String>> URETPROBE = key("uretprobe", "none", true, p -> p.uretprobes(),
            "comma-separated return-probe lifetimes: none, " + Lifetime.names()
                + " (every design but none runs on seqcount-rcu, the mainline lookup)");
    public static final Key<List<String>> URET_DURATION = key("uret-duration", "0", true, p -> p.uretDurations(),
            "comma-separated function durations for return probes: hits before the return "
                + "(0: before the next hit, as trig-uretprobe-nop) or a time (e.g. 200us, 2ms)");
    public static final Key<Double> URET_SHARE = key("uret-share", "1", false, p -> p.fraction("uret-share"),
            "share of uprobes that are return probes, in [0, 1]");
    public static final Key<Integer> URET_DEPTH = key("uret-depth", "64", false, p -> p.positive("uret-depth", 1),
            "pending returns per thread before entries are skipped (>= 1; the kernel's is 64)");
    public static final Key<String> URET_TIMEOUT = key("uret-timeout", "100ms", false, p -> p.uretTimeout(),
            "the per-task lease timer, re-armed on each entry (e.g. 100ms, 5ms)");
    public static final Key<List<String>> RI_ALLOC = key("ri-alloc", "pool", true, p -> p.riAllocs(),
            "comma-separated return-instance sources: pool (6.14's per-task ri_pool), rcu-free (before 6.14: one "
                + "per entry from a slab, freed after an RCU grace period, kfree_rcu), alloc (one per entry, dropped to "
                + "the garbage collector: a lower bound, not a kernel design)");
    public static final Key<List<String>> KERNEL_TRAP = key("kernel-trap", "nop5", true, p -> p.oneOf("kernel-trap", List.of("int3", "nop5")),
            "comma-separated trap kinds of the kernel back-end's probed functions: int3 (the "
                + "classic breakpoint), nop5 (a 5-byte nop: 6.18 turns it into a call, the uprobe-syscall path)");
    public static final Key<List<String>> KERNEL_PROBE = key("kernel-probe", "uprobe", true, p -> p.oneOf("kernel-probe", List.of("uprobe", "uretprobe", "none")),
            "comma-separated probe kinds of the kernel back-end: uprobe, uretprobe (the same "
                + "PMU with the retprobe bit: the kernel's return-probe path), none (the same calls unprobed: the "
                + "null baseline, whose difference to a probed row is the trap's cost)");
    public static final Key<String> KERNEL_ATTACH = key("kernel-attach", "thread", false, p -> p.kernelAttach(),
            "how the kernel back-end's readers are counted: thread (a perf event per "
                + "reader on each probe: N readers, N consumers), shared (one tracefs probe, one consumer, counted on "
                + "every CPU)");
    public static final Key<Integer> KERNEL_STABLE = key("kernel-stable", "1", false, p -> p.kernelStable(),
            "probed functions the kernel back-end's readers hit in turn (1 to "
                + Profile.MAX_KERNEL_STABLE + "; the kernel row's stable size)");
    public static final Key<ReaderSpec> KERNEL_READERS = key("kernel-readers", "same", true, p -> p.kernelReaders(),
            "reader counts of the kernel back-end: 'same' (the readers key), or as readers");
    public static final Key<List<RcuFlavour>> RCU_FLAVOUR = key("rcu-flavour", "qsbr", true, p -> p.rcuFlavours(),
            "comma-separated RCU read sides for RCU-based back-ends: " + RcuFlavour.names());
    public static final Key<PinPolicy> PINNING = key("pinning", "physical", false, p -> p.pinPolicy(),
            "thread placement: " + PinPolicy.names());
    public static final Key<Integer> WARMUP_ITERATIONS = key("warmup-iterations", "2", false, p -> p.positive("warmup-iterations", 0),
            "JMH warm-up iterations (>= 0)");
    public static final Key<Long> WARMUP_TIME = key("warmup-time", "1s", false, p -> p.millis("warmup-time"),
            "JMH warm-up iteration time (e.g. 500ms, 1s, 2m; at most 60m)");
    public static final Key<Integer> MEASUREMENT_ITERATIONS = key("measurement-iterations", "3", false, p -> p.positive("measurement-iterations", 1),
            "JMH measurement iterations (>= 1)");
    public static final Key<Long> MEASUREMENT_TIME = key("measurement-time", "1s", false, p -> p.millis("measurement-time"),
            "JMH measurement iteration time (e.g. 500ms, 1s, 2m; at most 60m)");
    public static final Key<Integer> ROUNDS = key("rounds", "3", false, p -> p.positive("rounds", 1),
            "rounds (>= 1): each runs one fork of every configuration in a freshly shuffled order; "
                + "a configuration's figure and interval come from its forks (3 or more for an interval a comparison "
                + "can use)");
    public static final Key<Double> PRECISION = key("precision", "off", false, p -> p.precision(),
            "'off', or a percentage in (0, 50]: after the first `rounds`, keep adding rounds for the configurations "
                + "whose 95% hit-throughput interval is wider than this, either side, until every one meets it, "
                + "`max-rounds` is reached or `max-time` is spent; the report names those that did not and why");
    public static final Key<Integer> MAX_ROUNDS = key("max-rounds", "20", false, p -> p.positive("max-rounds", 1),
            "with `precision`: the most rounds any configuration gets (>= rounds)");
    public static final Key<Long> MAX_TIME = key("max-time", "off", false, p -> p.maxTime(),
            "with `precision`: 'off', or the wall time after which no further round starts (e.g. 30m, 2h; "
                + "the first `rounds` always run)");
    public static final Key<Integer> LATENCY_ROUNDS = key("latency-rounds", "1", false, p -> p.positive("latency-rounds", 1),
            "how many of the first rounds also run the latency benchmark (>= 1; capped at rounds)");
    public static final Key<Long> SEED = key("seed", "random", false, p -> p.seed(),
            "seed of the per-round shuffles: a whole number, or 'random' (drawn and recorded)");
    public static final Key<Boolean> LATENCY = key("latency", "true", false, p -> p.bool("latency"),
            "also run the latency benchmark (every hit timed): true, false");
    public static final Key<Boolean> GC_PROFILER = key("gc-profiler", "false", false, p -> p.bool("gc-profiler"),
            "add JMH's gc profiler (gc.alloc.rate.norm per op): true, false");
    public static final Key<Boolean> PROFILING = key("profiling", "false", false, p -> p.bool("profiling"),
            "record CPU flame graphs with async-profiler: true, false");
    public static final Key<String> PROFILER_EVENT = key("profiler-event", "auto", false, p -> p.profilerEvent(),
            "async-profiler event: auto (cpu, else itimer), cpu, itimer");
    public static final Key<List<String>> JVM_ARGS = key("jvm-args", "-Xms2g -Xmx2g -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch", false, p -> p.jvmArgs(),
            "extra JVM arguments for the forked benchmark JVMs");

    /** The table, in doc order. */
    public static final List<Key<?>> KEYS = List.of(BACKENDS, READERS, WRITERS, CHURN, CHURN_KEYS, CHURN_READ_FRACTION, KEY_LAYOUT, SYNC_EVERY, STABLE, DISTRIBUTION, ZIPF_EXPONENT, HANDLER_WORK, VMA, VMA_FREE, VMA_SCOPE, MM_WRITERS, MM_CHURN, TRAP_COST, URETPROBE, URET_DURATION, URET_SHARE, URET_DEPTH, URET_TIMEOUT, RI_ALLOC, KERNEL_TRAP, KERNEL_PROBE, KERNEL_ATTACH, KERNEL_STABLE, KERNEL_READERS, RCU_FLAVOUR, PINNING, WARMUP_ITERATIONS, WARMUP_TIME, MEASUREMENT_ITERATIONS, MEASUREMENT_TIME, ROUNDS, PRECISION, MAX_ROUNDS, MAX_TIME, LATENCY_ROUNDS, SEED, LATENCY, GC_PROFILER, PROFILING, PROFILER_EVENT, JVM_ARGS);

    private static <T> Key<T> key(String name, String def, boolean axis, java.util.function.Function<Profile, T> parser,
            String help) {
        return new Key<>(name, def, axis, parser, help);
    }

    /** The key of this name, or null. */
    static Key<?> keyNamed(String name) {
        for (Key<?> k : KEYS) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    /** Every key's name, comma-separated, in doc order. */
    static String keyNames() {
        return KEYS.stream().map(Key::name).collect(Collectors.joining(", "));
    }

    private final String name;
    private final String question;
    private final Map<String, String> values = new LinkedHashMap<>();
    private Long drawnSeed;
    private ProfileSettings settings;

    private Profile(String name, String question) {
        this.name = name;
        this.question = question;
        KEYS.forEach(k -> values.put(k.name(), k.defaultValue()));
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
                throw new UsageException("--set needs key=value, got '" + o + "'; keys: " + keyNames());
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

    /** Every key through its parser, then the checks that join keys (key layout and stable sizes, latency rounds). */
    private ProfileSettings typed() {
        List<Integer> stable = STABLE.of(this);
        int rounds = ROUNDS.of(this);
        ProfileSettings.Kernel kernel = new ProfileSettings.Kernel(KERNEL_TRAP.of(this), KERNEL_PROBE.of(this),
                KERNEL_ATTACH.of(this), KERNEL_STABLE.of(this), KERNEL_READERS.of(this));
        return new ProfileSettings(BACKENDS.of(this), READERS.of(this), WRITERS.of(this), CHURN.of(this),
                CHURN_KEYS.of(this), CHURN_READ_FRACTION.of(this), SYNC_EVERY.of(this), stable, DISTRIBUTION.of(this),
                ZIPF_EXPONENT.of(this), HANDLER_WORK.of(this), RCU_FLAVOUR.of(this), withVmaFree(VMA.of(this),
                        VMA_FREE.of(this)), VMA_SCOPE.of(this), MM_WRITERS.of(this),
                MM_CHURN.of(this), TRAP_COST.of(this), URETPROBE.of(this), URET_DURATION.of(this), URET_SHARE.of(this),
                URET_DEPTH.of(this), URET_TIMEOUT.of(this), RI_ALLOC.of(this), keyLayout(stable), PINNING.of(this),
                WARMUP_ITERATIONS.of(this), WARMUP_TIME.of(this), MEASUREMENT_ITERATIONS.of(this),
                MEASUREMENT_TIME.of(this), rounds, LATENCY.of(this) ? Math.min(rounds, LATENCY_ROUNDS.of(this)) : 0,
                SEED.of(this), GC_PROFILER.of(this), PROFILING.of(this), PROFILER_EVENT.of(this), JVM_ARGS.of(this),
                kernel, hostTrap(), new ProfileSettings.Precision(PRECISION.of(this), maxRounds(rounds),
                        MAX_TIME.of(this)));
    }

    /** The target half-width as a fraction, or 0 for off. */
    private double precision() {
        String v = get("precision");
        if (v.equals("off")) {
            return 0;
        }
        try {
            double p = Double.parseDouble(v.endsWith("%") ? v.substring(0, v.length() - 1) : v);
            if (p > 0 && p <= 50) {
                return p / 100;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad("precision", "");
    }

    private int maxRounds(int rounds) {
        int m = MAX_ROUNDS.of(this);
        if (m < rounds && PRECISION.of(this) > 0) {
            throw bad("max-rounds", "below rounds=" + rounds);
        }
        return Math.max(m, rounds);
    }

    /** The time budget in milliseconds, 0 for none. */
    private long maxTime() {
        String v = get("max-time");
        if (v.equals("off")) {
            return 0;
        }
        try {
            long unit = v.endsWith("h") ? 3_600_000L : v.endsWith("m") ? 60_000L : v.endsWith("s") ? 1000L : 0;
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            if (unit > 0 && n > 0 && n <= 7 * 24 * 3_600_000L / unit) {
                return n * unit;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // below
        }
        throw bad("max-time", "");
    }

    private List<Integer> stableSizes() {
        List<Integer> stable = new ArrayList<>();
        for (long v : intList("stable", 1)) {
            if (v > Integer.MAX_VALUE) {
                throw bad("stable", v + " > " + Integer.MAX_VALUE);
            }
            stable.add((int) v);
        }
        return List.copyOf(stable);
    }

    private double fraction(String key) {
        double f = doubleValue(key);
        if (!(f >= 0 && f <= 1)) {
            throw bad(key, "");
        }
        return f;
    }

    private double zipfExponent() {
        double z = doubleValue("zipf-exponent");
        if (!(z > 0 && z <= MAX_ZIPF_EXPONENT)) {
            throw bad("zipf-exponent", "");
        }
        return z;
    }

    private List<String> distributions() {
        List<String> l = list("distribution");
        for (String d : l) {
            try {
                KeySequence.Distribution.byName(d);
            } catch (IllegalArgumentException e) {
                throw bad("distribution", "");
            }
        }
        return List.copyOf(l);
    }

    /** The model's trap work in ns ({@code host-...}: 0 here, the plan measures it). */
    private long trapCost() {
        if (hostTrap() != null) {
            return 0;
        }
        long t = TrapCost.parse(get("trap-cost"));
        if (t < 0) {
            throw bad("trap-cost", "");
        }
        return t;
    }

    private String uretTimeout() {
        try {
            ReturnProbeConfig.of(Lifetime.HPROBE).withTimeout(get("uret-timeout"));
        } catch (IllegalArgumentException e) {
            throw bad("uret-timeout", "");
        }
        return get("uret-timeout");
    }

    private PinPolicy pinPolicy() {
        try {
            return PinPolicy.byName(get("pinning"));
        } catch (IllegalArgumentException e) {
            throw bad("pinning", "");
        }
    }

    private String profilerEvent() {
        if (!List.of("auto", "cpu", "itimer").contains(get("profiler-event"))) {
            throw bad("profiler-event", "");
        }
        return get("profiler-event");
    }

    private List<String> jvmArgs() {
        List<String> a = new ArrayList<>();
        for (String arg : get("jvm-args").split("\\s+")) {
            if (!arg.isEmpty()) {
                a.add(arg);
            }
        }
        return List.copyOf(a);
    }

    private void set(String key, String value, String where) {
        if (key.equals("forks")) {
            throw new UsageException("key 'forks' in " + where + " was replaced by 'rounds': each round runs one fork "
                    + "of every configuration, shuffled; use rounds=" + value);
        }
        if (keyNamed(key) == null) {
            throw new UsageException("unknown key '" + key + "' in " + where + "; valid keys: " + keyNames());
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
                + ")") + "; valid: " + keyNamed(key).help());
    }

    /** Checks one key's value as it is set: the table's parser, which throws naming what the key accepts. */
    private void validate(String key) {
        keyNamed(key).of(this);
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

    /** True for {@code vma-scope=baseline}. */
    private boolean vmaScope() {
        return choice("vma-scope", List.of("all", "baseline")).equals("baseline");
    }

    private String kernelAttach() {
        return choice("kernel-attach", List.of("thread", "shared"));
    }

    /** A single value, trimmed, that must be one of {@code allowed}. */
    private String choice(String key, List<String> allowed) {
        String v = get(key).trim();
        if (!allowed.contains(v)) {
            throw bad(key, "");
        }
        return v;
    }

    private int kernelStable() {
        int stable = positive("kernel-stable", 1);
        if (stable > MAX_KERNEL_STABLE) {
            throw bad("kernel-stable", stable + " > " + MAX_KERNEL_STABLE);
        }
        return stable;
    }

    /** The kernel's reader counts, or null for the profile's own ({@code same}). */
    private ReaderSpec kernelReaders() {
        return get("kernel-readers").trim().equals("same") ? null : readerSpec("kernel-readers");
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

    /** Each VMA lookup with each VMA lifetime where it makes a difference (the speculative one), without duplicates. */
    private static List<VmaLookup> withVmaFree(List<VmaLookup> lookups, List<String> frees) {
        List<VmaLookup> out = new ArrayList<>();
        for (VmaLookup l : lookups) {
            for (String f : frees) {
                VmaLookup v = l == VmaLookup.SPECULATIVE_TYPESAFE ? l : l.withVmaFree(f);
                if (!out.contains(v)) {
                    out.add(v);
                }
            }
        }
        return List.copyOf(out);
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
        KEYS.forEach(k -> out.accept(String.format("  %-24s default %-12s %s%s", k.name(), k.defaultValue(),
                k.axis() ? "(axis) " : "", k.help())));
    }

    /** README's key table, made from {@link #KEYS} (a test checks README's copy against it). */
    public static String markdownKeyTable() {
        StringBuilder sb = new StringBuilder("| key | default | axis | accepts |\n|---|---|---|---|\n");
        KEYS.forEach(k -> sb.append(k.markdownRow()).append('\n'));
        return sb.toString();
    }
}
