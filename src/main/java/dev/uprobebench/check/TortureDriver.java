package dev.uprobebench.check;

import dev.uprobebench.mm.AddressSpace;
import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.mm.Layout;
import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.mm.VmaWalker;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RcuFlavour;
import dev.uprobebench.uret.Lifetime;
import dev.uprobebench.uret.ReturnProbes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The torture driver (rcutorture's shape, at uprobe scale): R readers and W writers against one
 * registry for a while, then teardown and the leak check.
 *
 * <p>Readers hit the stable set (inode {@link #STABLE_INODE}, offsets {@code [0, stableSize)}) and,
 * for a fraction of their hits, the churn keys (inode {@link #CHURN_INODE}), where hits and misses
 * are both valid. Writers register and unregister churn keys as fast as they can, each with its own
 * consumer per key, so that two writers at one key share the uprobe. After the run every writer
 * unregisters what it holds, the stable set is unregistered, and the registry's leak check runs.
 */
public final class TortureDriver {
    public static final long STABLE_INODE = KeyLayout.STABLE_INODE;
    public static final long CHURN_INODE = KeyLayout.CHURN_INODE;
    /** Reader hits between two quiescent-state announcements. */
    public static final int QUIESCENT_EVERY = 64;
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

    /** VMAs that may exist at once: the mappings plus those waiting out a grace period. */
    static final int VMA_CAPACITY = 16_384;
    /** Churn regions the address-space writers map and unmap. */
    static final int MM_REGIONS = 64;
    /** Every this many address-space operations, the churn file's mapping is remapped. */
    static final int REMAP_EVERY = 16;
    /** The file the churn file's range maps while it is remapped away (no uprobe on it). */
    static final long DECOY_INODE = 3;

    private static final class Run {
        private final UprobeRegistry registry;
        private final TortureConfig config;
        private final UprobeConsumer stableConsumer;
        private volatile boolean stop;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicLong hits = new AtomicLong();
        private final AtomicLong misses = new AtomicLong();
        private final AtomicLong writerOps = new AtomicLong();
        private final AtomicLong speculations = new AtomicLong();
        private final AtomicLong fallbacks = new AtomicLong();
        private final AtomicLong mmOps = new AtomicLong();
        /** The address space, or null for the registry-only hit. */
        private final AddressSpace mm;
        /** Return probes, or null when the run has none. */
        private final ReturnProbes uret;

        Run(UprobeRegistry registry, TortureConfig config, AddressSpace.Options mmOptions) {
            this.registry = registry;
            this.config = config;
            this.stableConsumer = new UprobeConsumer(config.handlerWork());
            this.mm = config.vmaLookup() == VmaLookup.NONE ? null
                    : new AddressSpace(config.vmaLookup(), registry.slots().capacity(), VMA_CAPACITY,
                            RcuFlavour.QSBR, RegistryConfig.DEFAULT_STEP_BOUND, registry.invariants(), mmOptions);
            // QSBR for the address space's RCU: every reader here announces quiescent states.
            this.uret = config.uretprobes() == null ? null : new ReturnProbes(registry, config.uretprobes());
        }

        TortureResult execute() {
            try {
                return executeInner();
            } finally {
                if (uret != null) {
                    uret.close();
                }
                if (mm != null) {
                    mm.close();
                }
            }
        }

        private TortureResult executeInner() {
            if (mm != null) {
                config.keyLayout().mapProbed(mm, config.stableSize(), config.churnKeys());
            }
            for (int k = 0; k < config.stableSize(); k++) {
                registry.register(config.stableInode(), config.stableOffset(k), stableConsumer);
            }
            config.keyLayout().declareStable(registry.invariants(), config.stableSize());

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
            if (uret != null) {
                uret.close(); // every task drained: the timer has nothing left to expire
            }
            for (int k = 0; k < config.stableSize(); k++) {
                registry.unregister(config.stableInode(), config.stableOffset(k), stableConsumer);
            }
            registry.synchronize();
            registry.checkLeaks();
            if (mm != null) {
                mm.unmapAll();
                mm.checkLeaks();
            }
            return new TortureResult(registry.backend().cliName(), config, elapsed, hits.get(), misses.get(),
                    registry.invariants().retries(), writerOps.get(), registry.invariants().snapshot(),
                    speculations.get(), fallbacks.get(), mmOps.get(), uret == null ? null : uret.counts());
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

        private void reader(long seed) {
            CpuSlot slot = registry.slots().acquire();
            SplittableRandom rnd = new SplittableRandom(seed);
            int stableSize = config.stableSize();
            int churnKeys = config.churnKeys();
            double churn = config.churnReadFraction();
            long h = 0;
            long m = 0;
            VmaWalker walker = mm == null ? null : mm.newWalker();
            ReturnProbes.Task task = uret == null ? null : uret.newTask(slot);
            registry.readerOnline(slot);
            if (mm != null) {
                mm.online(slot);
            }
            try {
                while (!stop) {
                    for (int i = 0; i < QUIESCENT_EVERY; i++) {
                        boolean toChurn = rnd.nextDouble() < churn;
                        long inode = toChurn ? config.churnInode() : config.stableInode();
                        long offset = toChurn ? config.churnOffset(rnd.nextInt(churnKeys))
                                : config.stableOffset(rnd.nextInt(stableSize));
                        long r = task != null ? task.hit(inode, offset)
                                : walker == null ? registry.hit(slot, inode, offset)
                                : walker.hit(slot, Layout.vaddr(inode, offset), registry);
                        if (r == UprobeRegistry.MISS) {
                            m++;
                        } else {
                            h++;
                        }
                    }
                    registry.readerQuiescent(slot);
                    if (mm != null) {
                        mm.quiescent(slot);
                    }
                }
            } finally {
                if (task != null) {
                    task.drain(); // every pending return, while still an online reader
                }
                if (mm != null) {
                    mm.offline(slot);
                    speculations.addAndGet(walker.speculations());
                    fallbacks.addAndGet(walker.fallbacks());
                }
                registry.readerOffline(slot);
                registry.slots().release(slot);
                hits.addAndGet(h);
                misses.addAndGet(m);
            }
        }

        /**
         * Address-space churn: toggles churn regions (each writer its own share of them), and every
         * {@link #REMAP_EVERY} operations, when the churn keys have a file of their own, maps the
         * decoy file over that file's range and then the file again, so readers' translations of
         * churn keys go stale under them. Leaves its regions mapped or not; teardown unmaps all.
         */
        private void mmWriter(long seed, int index) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int writers = config.mmWriters();
            boolean remaps = config.keyLayout().churnHasOwnFile() && index == 0;
            long churnBase = Layout.probedBase(config.churnInode());
            long churnSize = config.churnOffset(config.churnKeys());
            boolean[] mapped = new boolean[MM_REGIONS];
            long ops = 0;
            try {
                while (!stop) {
                    if (remaps && ops % REMAP_EVERY == REMAP_EVERY - 1) {
                        mm.munmap(churnBase);
                        Layout.mapFileAt(mm, config.churnInode(), DECOY_INODE, churnSize);
                        mm.munmap(churnBase);
                        Layout.mapProbed(mm, config.churnInode(), churnSize);
                        ops += 4;
                        continue;
                    }
                    int j = index + writers * rnd.nextInt(MM_REGIONS / writers);
                    mapped[j] = Layout.toggleRegion(mm, j, mapped[j]);
                    ops++;
                }
            } finally {
                mmOps.addAndGet(ops);
            }
        }

        private void writer(long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int keys = config.churnKeys();
            UprobeConsumer[] mine = new UprobeConsumer[keys];
            for (int k = 0; k < keys; k++) {
                mine[k] = new UprobeConsumer(config.handlerWork());
            }
            boolean[] held = new boolean[keys];
            long ops = 0;
            int unregistered = 0;
            try {
                while (!stop) {
                    int k = rnd.nextInt(keys);
                    if (held[k]) {
                        registry.unregister(config.churnInode(), config.churnOffset(k), mine[k]);
                        held[k] = false;
                        if (config.syncEvery() > 0 && ++unregistered % config.syncEvery() == 0) {
                            registry.synchronize();
                        }
                    } else {
                        registry.register(config.churnInode(), config.churnOffset(k), mine[k]);
                        held[k] = true;
                    }
                    ops++;
                }
            } finally {
                for (int k = 0; k < keys; k++) {
                    if (held[k]) {
                        registry.unregister(config.churnInode(), config.churnOffset(k), mine[k]);
                    }
                }
                writerOps.addAndGet(ops);
            }
        }
    }
}
