package dev.uprobebench.registry;

import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.SlotLongs;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The hit-path half of the invariant checker: the checks a back-end's hit path calls around its
 * use of a uprobe, and the per-slot counters they bump.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Hit-path methods take the caller's {@link CpuSlot} and write only that slot's line:
 *       no shared cache line is written on the hit path. The owner thread is the only writer of
 *       its slot's counts.</li>
 *   <li>{@link #beginUse} and {@link #endUse} bracket every use of a found uprobe (from the
 *       lookup to the last handler). Between them the back-end's protocol must keep the object
 *       alive; if the slab recycled or freed it in between, {@link #endUse} counts a use after
 *       free. The check is sound because every allocation moves the generation on and every free
 *       sets state FREED first.</li>
 *   <li>Counters are read with opaque loads and summed; totals are exact once the writers have
 *       stopped (thread join gives the happens-before edge).</li>
 *   <li>Wait-free.</li>
 * </ul>
 */
public final class InvariantCounters {
    private static final Violation[] KINDS = Violation.values();
    /** Per-slot statistics beyond the violations, in the same line. */
    private static final int RETRIES = KINDS.length;
    private static final int HITS = KINDS.length + 1;
    private static final int MISSES = KINDS.length + 2;
    /** The age oracle's histogram: uses of an unlinked uprobe 0, 1, and 2 or more grace periods after its unlink. */
    private static final int AGE0 = KINDS.length + 3;
    private static final int AGE1 = KINDS.length + 4;
    private static final int AGE2 = KINDS.length + 5;
    /** The read-side domain's completed grace periods (the age oracle's clock); -1 where there are none. */
    private volatile java.util.function.LongSupplier graceClock = () -> -1;

    private final SlotLongs perSlot;
    /** Off-hit-path counts (teardown leaks, writer-side findings). */
    private final AtomicLongArray shared = new AtomicLongArray(KINDS.length);
    private volatile StableRange stable = StableRange.NONE;

    public InvariantCounters(int slots) {
        this.perSlot = new SlotLongs(slots, KINDS.length + 6);
    }

    /** The clock the age oracle reads: completed grace periods of the readers' domain (set once by the back-end). */
    public void setGraceClock(java.util.function.LongSupplier clock) {
        this.graceClock = clock;
    }

    /**
     * rcutorture's Reader Pipe: a reader using {@code u}, unlinked at epoch {@code e} (or never,
     * -1), counts its age in grace periods; two or more is {@link Violation#TOO_OLD}. Once per use,
     * at the last moment its read section protects it: {@link #endUse} and {@link #checkFound} do
     * it; a design whose use goes on outside the section under a reference calls it itself before
     * leaving the section.
     */
    public void checkAge(CpuSlot slot, Uprobe u) {
        long e = u.erasedAtOpaque();
        if (e < 0) {
            return;
        }
        long now = graceClock.getAsLong();
        if (now < 0) {
            return;
        }
        long age = now - e;
        perSlot.incrementOpaque(slot.id(), age <= 0 ? AGE0 : age == 1 ? AGE1 : AGE2, 1);
        if (age >= 2) {
            count(slot, Violation.TOO_OLD);
        }
    }

    /**
     * The age histogram: how many uses found their uprobe already unlinked, by grace periods since
     * the unlink: {0, 1, 2 or more} (the last are {@link Violation#TOO_OLD}).
     */
    public long[] ages() {
        return new long[] {perSlot.sumOpaque(AGE0), perSlot.sumOpaque(AGE1), perSlot.sumOpaque(AGE2)};
    }

    /** The keys registered before the run and never removed: a miss on one is a false negative. */
    public record StableRange(long inode, long fromOffset, long toOffset, long stride) {
        public static final StableRange NONE = new StableRange(Long.MIN_VALUE, 0, 0, 1);

        public boolean contains(long keyInode, long keyOffset) {
            return keyInode == inode && keyOffset >= fromOffset && keyOffset < toOffset
                    && (keyOffset - fromOffset) % stride == 0;
        }
    }

    /** Declares the stable set: keys {@code (inode, [from, to))}. */
    public void declareStable(long inode, long fromOffset, long toOffset) {
        declareStable(inode, fromOffset, toOffset, 1);
    }

    /** As {@link #declareStable(long, long, long)}, every {@code stride}-th offset (others are churn keys). */
    public void declareStable(long inode, long fromOffset, long toOffset, long stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
        stable = new StableRange(inode, fromOffset, toOffset, stride);
    }

    public StableRange stable() {
        return stable;
    }

    // ---- hit path -----------------------------------------------------------------------------

    /**
     * Called when a lookup for {@code (inode, offset)} returned {@code u}, before any use (after
     * the reference is taken, where the back-end takes one). {@code foundGeneration} is
     * {@code u}'s generation read as soon as the lookup returned it: if the object was freed and
     * handed out again in between, even for the same key, it counts a use after free; a live
     * object with another key is a wrong hit.
     *
     * @return the generation to hand to {@link #endUse}
     */
    public int beginUse(CpuSlot slot, Uprobe u, int foundGeneration, long inode, long offset) {
        // The age is judged once per use, at its end (endUse): checking here too counted one use of
        // an unlinked uprobe twice in the histogram, and one too-old use twice.
        int now = u.generationAcquire();
        if (u.isFreedAcquire() || now != foundGeneration) {
            count(slot, Violation.USE_AFTER_FREE);
        } else if (!u.hasKey(inode, offset)) {
            count(slot, Violation.WRONG_HIT);
        }
        perSlot.incrementOpaque(slot.id(), HITS, 1);
        return now; // endUse counts only what happens after this: one event, one count
    }

    /**
     * For a found uprobe the hit will not use (it has no consumers left): counts a use after free
     * if it was freed or recycled since it was found, as {@link #beginUse} would, but no hit.
     */
    public void checkFound(CpuSlot slot, Uprobe u, int foundGeneration) {
        checkAge(slot, u);
        if (u.isFreedAcquire() || u.generationAcquire() != foundGeneration) {
            count(slot, Violation.USE_AFTER_FREE);
        }
    }

    /**
     * Called after the last use of {@code u}, still inside the read section that protects it;
     * counts a use after free if it was freed meanwhile, and the age of an unlinked {@code u}.
     */
    public void endUse(CpuSlot slot, Uprobe u, int generation) {
        endUse(slot, u, generation, false);
    }

    /**
     * As {@link #endUse(CpuSlot, Uprobe, int)}; {@code referenced}: the use was protected by a
     * reference taken on a live count, not by the read section, so its age may grow legitimately
     * and is not checked.
     */
    public void endUse(CpuSlot slot, Uprobe u, int generation, boolean referenced) {
        if (!referenced) {
            checkAge(slot, u);
        }
        if (u.isFreedAcquire() || u.generationAcquire() != generation) {
            count(slot, Violation.USE_AFTER_FREE);
        }
    }

    /** Called on a final miss; counts a false negative when the key is in the stable set. */
    public void onMiss(CpuSlot slot, long inode, long offset) {
        perSlot.incrementOpaque(slot.id(), MISSES, 1);
        if (stable.contains(inode, offset)) {
            count(slot, Violation.FALSE_NEGATIVE);
        }
    }

    /** Called when a reference was taken and the old count was {@code oldRef}. */
    public void onGet(CpuSlot slot, int oldRef) {
        if (oldRef <= 0) {
            count(slot, Violation.RESURRECTION);
        }
    }

    /** Called when a lookup gave up at the step bound. */
    public void onLost(CpuSlot slot) {
        count(slot, Violation.LOST_LOOKUP);
    }

    /** A seqcount retry (statistic, not a violation). */
    public void onRetry(CpuSlot slot) {
        perSlot.incrementOpaque(slot.id(), RETRIES, 1);
    }

    public void count(CpuSlot slot, Violation v) {
        perSlot.incrementOpaque(slot.id(), v.ordinal(), 1);
    }

    // ---- off the hit path -----------------------------------------------------------------------

    /** Counts {@code n} violations found outside a slot's hit path (teardown, writers). */
    public void countShared(Violation v, long n) {
        shared.addAndGet(v.ordinal(), n);
    }

    public long total(Violation v) {
        return perSlot.sumOpaque(v.ordinal()) + shared.get(v.ordinal());
    }

    public long totalViolations() {
        long sum = 0;
        for (Violation v : KINDS) {
            sum += total(v);
        }
        return sum;
    }

    public Map<Violation, Long> snapshot() {
        Map<Violation, Long> m = new EnumMap<>(Violation.class);
        for (Violation v : KINDS) {
            m.put(v, total(v));
        }
        return m;
    }

    public long retries() {
        return perSlot.sumOpaque(RETRIES);
    }

    /** Seqcount retries of one slot so far (its owner reads its own count). */
    public long retries(CpuSlot slot) {
        return perSlot.getOpaque(slot.id(), RETRIES);
    }

    public long hits() {
        return perSlot.sumOpaque(HITS);
    }

    public long misses() {
        return perSlot.sumOpaque(MISSES);
    }
}
