package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.RaceHooks;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Slab;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.CpuSlots;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;
import java.util.Arrays;

/** What every back-end has: the tree, the slab, the slots, the invariant counters, the hooks. */
abstract class AbstractRegistry implements UprobeRegistry {
    protected final Backend backend;
    protected final RegistryConfig config;
    protected final Slab slab;
    protected final RcuRbTree tree = new RcuRbTree();
    protected final CpuSlots slots;
    protected final InvariantCounters invariants;
    protected final RaceHooks hooks;
    protected final int stepBound;

    AbstractRegistry(Backend backend, RegistryConfig config) {
        this.backend = backend;
        this.config = config;
        this.slots = new CpuSlots(config.slots());
        this.invariants = new InvariantCounters(config.slots());
        this.slab = new Slab(config.slabCapacity(), invariants);
        this.hooks = config.hooks();
        this.stepBound = config.stepBound();
        invariants.setGraceClock(this::graceEpoch);
    }

    /**
     * Completed grace periods of the domain the readers' sections belong to: the age oracle's clock
     * ({@link InvariantCounters#setGraceClock}). -1 for the back-ends whose readers hold a lock.
     */
    protected long graceEpoch() {
        return -1;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public final CpuSlots slots() {
        return slots;
    }

    @Override
    public final InvariantCounters invariants() {
        return invariants;
    }

    @Override
    public final Slab slab() {
        return slab;
    }

    /** Runs every consumer of {@code u} ({@code handler_chain}); allocation-free. */
    protected static long runHandlers(Uprobe u) {
        long sum = 0;
        for (UprobeConsumer c : u.consumersAcquire()) {
            sum += c.handle(u);
        }
        return sum;
    }

    /** Copy-on-write add; the caller publishes the result under its write lock. */
    protected static UprobeConsumer[] withConsumer(UprobeConsumer[] current, UprobeConsumer c) {
        UprobeConsumer[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = c;
        return next;
    }

    /** Copy-on-write remove; null when {@code c} is not there. */
    protected static UprobeConsumer[] withoutConsumer(UprobeConsumer[] current, UprobeConsumer c) {
        for (int i = 0; i < current.length; i++) {
            if (current[i] == c) {
                UprobeConsumer[] next = new UprobeConsumer[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                return next;
            }
        }
        return null;
    }

    /**
     * Under the caller's write lock, for back-ends whose tree holds the creator's reference: adds
     * {@code consumer} to the uprobe at the key, creating it (refcount 1) when there is none.
     */
    protected final void addConsumerLocked(long inode, long offset, UprobeConsumer consumer) {
        Uprobe u = (Uprobe) tree.find(inode, offset);
        if (u != null) {
            hooks.afterWriterFind(u);
            checkWriterUse(u);
        }
        if (u == null) {
            u = slab.allocate(inode, offset); // refcount 1: the tree's reference
            u.setConsumersRelease(new UprobeConsumer[] {consumer});
            tree.insertOrFind(u, inode, offset);
        } else {
            u.setConsumersRelease(withConsumer(u.consumersAcquire(), consumer));
        }
    }

    /**
     * Under the caller's write lock: removes {@code consumer} from the uprobe at the key and
     * returns that uprobe (its consumer array is then what remains); throws if it is not there.
     */
    protected final Uprobe removeConsumerLocked(long inode, long offset, UprobeConsumer consumer) {
        Uprobe u = (Uprobe) tree.find(inode, offset);
        if (u != null) {
            hooks.afterWriterFind(u);
            checkWriterUse(u);
        }
        UprobeConsumer[] rest = u == null ? null : withoutConsumer(u.consumersAcquire(), consumer);
        if (rest == null) {
            throw notRegistered(inode, offset);
        }
        u.setConsumersRelease(rest);
        return u;
    }

    /**
     * A writer is about to use {@code u}, which it holds by a pointer from the tree or from its
     * own registration: a freed {@code u} is a writer-side use after free (the checker's
     * {@link Violation#WRITER_USE_AFTER_FREE}). Off the hit path; costs one acquire load.
     */
    protected final void checkWriterUse(Uprobe u) {
        if (u.isFreedAcquire()) {
            invariants.countShared(Violation.WRITER_USE_AFTER_FREE, 1);
        }
    }

    /**
     * As {@link #checkWriterUse(Uprobe)}, for a uprobe the writer found as {@code generation}
     * under its lock and uses after dropping it: a recycled {@code u} counts too.
     */
    protected final void checkWriterUse(Uprobe u, int generation) {
        if (u.isFreedAcquire() || u.generationAcquire() != generation) {
            invariants.countShared(Violation.WRITER_USE_AFTER_FREE, 1);
        }
    }

    /**
     * Counts a lookup that found nothing ({@code n == null}) or gave up at the step bound
     * ({@link RcuRbTree#LOST}), and returns {@link #MISS}.
     */
    protected final long missed(CpuSlot slot, RbNode n, long inode, long offset) {
        return missed(slot, n, inode, offset, HitCheck.NONE); // NONE: every miss is final
    }

    /**
     * As {@link #missed(CpuSlot, RbNode, long, long)}, after asking {@code check} whether the miss
     * is final: a voided miss is not counted and returns {@link #RETRY}. A lost lookup is counted
     * either way (the tree failed, whatever the key was).
     */
    protected final long missed(CpuSlot slot, RbNode n, long inode, long offset, HitCheck check) {
        if (n != null) {
            invariants.onLost(slot);
        }
        if (!check.missed(slot)) {
            return RETRY;
        }
        if (n == null) {
            invariants.onMiss(slot, inode, offset);
        }
        return MISS;
    }

    protected static IllegalArgumentException notRegistered(long inode, long offset) {
        return new IllegalArgumentException("consumer is not registered at " + inode + ":" + offset);
    }

    /** Back-end counts that must be zero at teardown (lock words, per-CPU counts). */
    protected long internalLeaks() {
        return 0;
    }

    @Override
    public final long checkLeaks() {
        barrier();
        long leaks = slab.inUse() + internalLeaks();
        if (leaks > 0) {
            invariants.countShared(Violation.LEAK, leaks);
        }
        return leaks;
    }
}
