package dev.uprobebench.check;

import dev.uprobebench.mm.AddressSpace;
import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.RcuFlavour;
import dev.uprobebench.uret.Lifetime;
import dev.uprobebench.uret.ReturnProbes;
import dev.uprobebench.workload.ChurnWriter;
import dev.uprobebench.workload.HitReader;
import dev.uprobebench.workload.KeySequence;
import dev.uprobebench.workload.MmChurner;
import dev.uprobebench.workload.Scene;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The torture driver (rcutorture's shape, at uprobe scale): R readers and W writers against one
 * registry for a while, then teardown and the leak check.
 *
 * <p>The workload is the benchmark's own ({@code dev.uprobebench.workload}): readers hit the stable
 * set (inode {@link #STABLE_INODE}) and, for a fraction of their hits, the churn keys (inode
 * {@link #CHURN_INODE}), keys drawn as a {@link KeySequence}, where hits and misses are both valid.
 * Writers register and unregister churn keys as fast as they can, each with its own consumer per
 * key, so that two writers at one key share the uprobe. After the run every writer unregisters what
 * it holds, the stable set is unregistered, and the registry's leak check runs.
 */
public final class TortureDriver {
    public static final long STABLE_INODE = KeyLayout.STABLE_INODE;
    public static final long CHURN_INODE = KeyLayout.CHURN_INODE;
    /** Reader hits between two quiescent-state announcements. */
    public static final int QUIESCENT_EVERY = HitReader.QUIESCENT_EVERY;
    private static final long JOIN_TIMEOUT_MILLIS = 30_000;
    /**
     * Scales every run's length: the mutation profile ({@code -Pmutation}) sets
     * {@code -Duprobe.torture.scale=0.5} because each covering test runs once per mutant.
     */
    static final double SCALE = scale(System.getProperty("uprobe.torture.scale"));

    private TortureDriver() {
    }

    static double scale(String property) {
        if (property == null || property.isBlank()) {
            return 1.0;
        }
        try {
            double v = Double.parseDouble(property.trim());
            if (v > 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("uprobe.torture.scale must be a number in (0, 1], got '" + property + "'");
    }

    /** Runs {@code backend} with a registry sized for {@code config} and the given RCU flavour. */
    public static TortureResult run(Backend backend, TortureConfig config, RcuFlavour rcuFlavour) {
        return run(c -> backend.create(c), config, rcuFlavour, backend);
    }

    public static TortureResult run(Backend backend, TortureConfig config) {
        return run(backend, config, RcuFlavour.QSBR);
    }

    /** Runs a registry made by {@code factory} (tests pass deliberately broken ones). */
    public static TortureResult run(Function<RegistryConfig, UprobeRegistry> factory, TortureConfig config,
            RcuFlavour rcuFlavour, Backend declared) {
        if (config.writers() > 0 && !declared.allowsChurn()) {
            throw new IllegalArgumentException("back-end '" + declared.cliName()
                    + "' does not allow writers while readers run; use 0 writers");
        }
        RegistryConfig rc = RegistryConfig.of(config.slabCapacity(), config.slots()).withRcuFlavour(rcuFlavour);
        if (config.uretprobes() != null && config.uretprobes().lifetime() == Lifetime.SRCU_UPDOWN) {
            rc = rc.withFastUretprobeSrcu();
        }
        try (UprobeRegistry registry = factory.apply(rc)) {
            return new Run(registry, config, AddressSpace.Options.NONE).execute();
        }
    }

    /** Runs against an existing registry; it must be empty and sized for {@code config}. */
    public static TortureResult run(UprobeRegistry registry, TortureConfig config) {
        return run(registry, config, AddressSpace.Options.NONE);
    }

    /**
     * As {@link #run(UprobeRegistry, TortureConfig)}, with test-only options for the address space
     * (used when {@code config} has a VMA lookup).
     */
    public static TortureResult run(UprobeRegistry registry, TortureConfig config, AddressSpace.Options mmOptions) {
        return new Run(registry, config, mmOptions).execute();
    }

    /** Every this many address-space operations, the churn file's mapping is remapped. */
    static final int REMAP_EVERY = 16;
    /** The writers' recorders' digits: the torture driver times nothing, so the smallest will do. */
    private static final int UNTIMED_DIGITS = 1;

    /**
     * One run: the {@link Scene}, and a thread per reader ({@link HitReader}), churn writer
     * ({@link ChurnWriter}) and address-space writer ({@link MmChurner}), the same workload the
     * benchmark measures, as fast as each can until the deadline.
     */
    private static final class Run {
        private final TortureConfig config;
        private final Scene scene;
        private volatile boolean stop;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicLong hits = new AtomicLong();
        private final AtomicLong misses = new AtomicLong();
        private final AtomicLong writerOps = new AtomicLong();
        private final AtomicLong speculations = new AtomicLong();
        private final AtomicLong fallbacks = new AtomicLong();
        private final AtomicLong mmOps = new AtomicLong();

        Run(UprobeRegistry registry, TortureConfig config, AddressSpace.Options mmOptions) {
            this.config = config;
            this.scene = new Scene(registry, config.keyLayout(), config.stableSize(), config.churnKeys(),
                    config.handlerWork(), config.syncEvery(), config.vmaLookup(), Scene.MM_REGIONS, mmOptions,
                    config.uretprobes());
        }

        TortureResult execute() {
            try {
                return executeInner();
            } finally {
                scene.close();
            }
        }

        private TortureResult executeInner() {
            UprobeRegistry registry = scene.registry();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < config.readers(); r++) {
                long seed = config.seed() * 1_000_003L + r;
                threads.add(thread("torture-reader-" + r, start, () -> reader(seed)));
            }
            for (int w = 0; w < config.writers(); w++) {
                long seed = config.seed() * 1_000_033L + 7919L * (w + 1);
                threads.add(thread("torture-writer-" + w, start, () -> writer(seed)));
            }
            for (int w = 0; w < config.mmWriters(); w++) {
                long seed = config.seed() * 1_000_037L + 104_729L * (w + 1);
                int index = w;
                threads.add(thread("torture-mm-writer-" + w, start, () -> mmWriter(seed, index)));
            }
            threads.forEach(Thread::start);
            long t0 = System.nanoTime();
            start.countDown();
            long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.round(config.millis() * SCALE)));
            waitUntil(deadline);
            stop = true;
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            for (Thread t : threads) {
                join(t);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("torture thread failed: " + failure.get(), failure.get());
            }
            ReturnProbes uret = scene.returnProbes();
            ReturnProbes.Counts uretCounts = null;
            if (uret != null) {
                uret.close(); // every task drained: the timer has nothing left to expire
                uretCounts = uret.counts();
            }
            scene.teardown();
            return new TortureResult(registry.backend().cliName(), config, elapsed, hits.get(), misses.get(),
                    registry.invariants().retries(), writerOps.get(), registry.invariants().snapshot(),
                    speculations.get(), fallbacks.get(), mmOps.get(), uretCounts, registry.invariants().ages());
        }

        private void waitUntil(long deadline) {
            long left;
            while (failure.get() == null && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void join(Thread t) {
            try {
                t.join(JOIN_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within " + JOIN_TIMEOUT_MILLIS
                        + " ms of the end of the run: a hung lookup, lock or grace period");
            }
        }

        private Thread thread(String name, CountDownLatch start, Runnable body) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    body.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    stop = true;
                }
            }, name);
            t.setDaemon(true);
            return t;
        }

        /** Hits uniform keys of the stable set, and of the churn keys for the configured fraction. */
        private void reader(long seed) {
            KeySequence keys = KeySequence.draw(KeySequence.lengthFor(config.stableSize()), config.stableSize(),
                    config.churnKeys(), config.churnReadFraction(), KeySequence.Distribution.UNIFORM, 1, seed);
            HitReader reader = new HitReader(scene, keys, 0, false);
            reader.online();
            try {
                while (!stop) {
                    for (int i = 0; i < HitReader.QUIESCENT_EVERY; i++) {
                        reader.hit();
                    }
                }
            } finally {
                reader.offline(); // every pending return first, while still an online reader
                reader.close();
                speculations.addAndGet(reader.speculations());
                fallbacks.addAndGet(reader.fallbacks());
                hits.addAndGet(reader.hits() - reader.misses());
                misses.addAndGet(reader.misses());
            }
        }

        /**
         * Address-space churn: toggles churn regions (each writer its own share of them), and every
         * {@link #REMAP_EVERY} operations, when the churn keys have a file of their own, maps the
         * decoy file over that file's range and then the file again, so readers' translations of
         * churn keys go stale under them. Leaves its regions mapped or not; teardown unmaps all.
         */
        private void mmWriter(long seed, int index) {
            MmChurner churner = new MmChurner(scene, index, config.mmWriters(), seed, 0, REMAP_EVERY, UNTIMED_DIGITS);
            try {
                while (!stop) {
                    churner.churn(false);
                }
            } finally {
                mmOps.addAndGet(churner.ops());
            }
        }

        private void writer(long seed) {
            ChurnWriter writer = new ChurnWriter(scene, seed, 0, UNTIMED_DIGITS);
            try {
                while (!stop) {
                    writer.churn(false);
                }
            } finally {
                writer.releaseHeld();
                writerOps.addAndGet(writer.registers() + writer.unregisters());
            }
        }
    }
}
