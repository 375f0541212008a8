package dev.uprobebench.check;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RaceHooks;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.CpuSlot;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The torture driver's stress mode (test builds only): at the back-ends' race points, with a given
 * probability, a thread spins a random while, yields, or sleeps a few microseconds. On two cores
 * the windows between a reader's find and its use, or a writer's last put, are a few instructions
 * wide and the other thread is rarely scheduled into them; the perturbation opens them. Each
 * thread draws from its own generator, split from the seed in the order threads first arrive.
 */
final class PerturbingHooks implements RaceHooks {
    private final int oneIn;
    private final SplittableRandom root;
    private final ThreadLocal<SplittableRandom> random;
    private final AtomicLong perturbations = new AtomicLong();

    /** Perturbs one race point in {@code oneIn}. */
    PerturbingHooks(long seed, int oneIn) {
        if (oneIn < 1) {
            throw new IllegalArgumentException("oneIn must be >= 1, got " + oneIn);
        }
        this.oneIn = oneIn;
        this.root = new SplittableRandom(seed);
        this.random = ThreadLocal.withInitial(this::split);
    }

    private synchronized SplittableRandom split() {
        return root.split();
    }

    /** A factory for {@link TortureDriver#run}: {@code backend} with these hooks. */
    static Function<RegistryConfig, UprobeRegistry> stressed(Backend backend, PerturbingHooks hooks) {
        return c -> backend.create(c.withHooks(hooks));
    }

    /** Race points perturbed so far. */
    long perturbations() {
        return perturbations.get();
    }

    private void perturb() {
        SplittableRandom r = random.get();
        if (r.nextInt(oneIn) != 0) {
            return;
        }
        perturbations.incrementAndGet();
        switch (r.nextInt(3)) {
            case 0 -> {
                for (int i = r.nextInt(1, 2_000); i > 0; i--) {
                    Thread.onSpinWait();
                }
            }
            case 1 -> Thread.yield();
            default -> LockSupport.parkNanos(r.nextLong(1_000, 50_000));
        }
    }

    @Override
    public void afterFind(CpuSlot slot, Uprobe u) {
        perturb();
    }

    @Override
    public void afterReadUnlock(CpuSlot slot, Uprobe u) {
        perturb();
    }

    @Override
    public void beforePut(Uprobe u) {
        perturb();
    }
}
