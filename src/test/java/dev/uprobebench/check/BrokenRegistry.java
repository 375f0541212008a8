package dev.uprobebench.check;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.InvariantCounters;
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

/**
 * A deliberately broken registry (single writer, globally locked), one defect per {@link Fault},
 * to show that each invariant check fires. A checker that is never seen to fire proves nothing.
 */
final class BrokenRegistry implements UprobeRegistry {
    enum Fault {
        /** The hit path frees the uprobe it holds and the slab hands it out again. */
        FREE_WHILE_HELD,
        /** The hit path takes a reference even when the count is zero. */
        GET_FROM_ZERO,
        /** Lookups of stable offsets divisible by 7 miss. */
        DROP_STABLE_KEYS,
        /** Lookups return the neighbouring uprobe. */
        WRONG_NODE,
        /** Unregister forgets to free stable uprobes. */
        LEAK_ON_UNREGISTER,
        /** Lookups are given no steps at all. */
        ENDLESS_LOOKUP,
        /** Unregister frees a churn uprobe twice (a put too many). */
        DOUBLE_FREE_ON_UNREGISTER
    }

    private final Fault fault;
    private final Slab slab;
    private final CpuSlots slots;
    private final InvariantCounters invariants;
    private final RcuRbTree tree = new RcuRbTree();

    BrokenRegistry(Fault fault, int slabCapacity, int slotCount) {
        this.fault = fault;
        this.slots = new CpuSlots(slotCount);
        this.invariants = new InvariantCounters(slotCount);
        this.slab = new Slab(slabCapacity, invariants);
    }

    @Override
    public Backend backend() {
        return Backend.RWLOCK; // it claims to be a correct design; the checker must tell otherwise
    }

    @Override
    public synchronized void register(long inode, long offset, UprobeConsumer consumer) {
        Uprobe u = (Uprobe) tree.find(inode, offset);
        if (u == null) {
            u = slab.allocate(inode, offset);
            u.setConsumersRelease(new UprobeConsumer[] {consumer});
            tree.insertOrFind(u, inode, offset);
        } else {
            UprobeConsumer[] c = u.consumersAcquire();
            UprobeConsumer[] next = Arrays.copyOf(c, c.length + 1);
            next[c.length] = consumer;
            u.setConsumersRelease(next);
        }
    }

    @Override
    public synchronized void unregister(long inode, long offset, UprobeConsumer consumer) {
        Uprobe u = (Uprobe) tree.find(inode, offset);
        UprobeConsumer[] c = u.consumersAcquire();
        UprobeConsumer[] next = Arrays.stream(c).filter(x -> x != consumer).toArray(UprobeConsumer[]::new);
        u.setConsumersRelease(next);
        if (next.length == 0) {
            tree.erase(u);
            u.markErased();
            if (fault != Fault.LEAK_ON_UNREGISTER || inode != TortureDriver.STABLE_INODE) {
                slab.free(u);
            }
            if (fault == Fault.DOUBLE_FREE_ON_UNREGISTER && inode != TortureDriver.STABLE_INODE) {
                slab.free(u);
            }
        }
    }

    @Override
    public void synchronize() {
    }

    @Override
    public synchronized long hit(CpuSlot slot, long inode, long offset, HitCheck check) {
        if (fault == Fault.DROP_STABLE_KEYS && inode == TortureDriver.STABLE_INODE && offset % 7 == 0) {
            if (!check.missed(slot)) {
                return RETRY;
            }
            invariants.onMiss(slot, inode, offset);
            return MISS;
        }
        RbNode n = tree.findBounded(inode, offset, fault == Fault.ENDLESS_LOOKUP ? 0 : 1024);
        if (n == RcuRbTree.LOST) {
            invariants.onLost(slot);
            return check.missed(slot) ? MISS : RETRY;
        }
        if (fault == Fault.WRONG_NODE && n != null) {
            RbNode other = tree.find(inode, offset + 1);
            n = other != null ? other : tree.find(inode, offset - 1);
        }
        if (n == null) {
            if (!check.missed(slot)) {
                return RETRY;
            }
            invariants.onMiss(slot, inode, offset);
            return MISS;
        }
        if (!check.found(slot)) {
            return RETRY;
        }
        Uprobe u = (Uprobe) n;
        int gen = invariants.beginUse(slot, u, u.generationAcquire(), inode, offset);
        if (fault == Fault.GET_FROM_ZERO) {
            u.decrementAndGetRef(); // drop the tree's reference: the count is now 0
            invariants.onGet(slot, u.getAndIncrementRef());
        }
        long result = 0;
        for (UprobeConsumer c : u.consumersAcquire()) {
            result += c.handle(u);
        }
        if (fault == Fault.FREE_WHILE_HELD) {
            // Free under the reader's feet and recycle the object for the same key, as a
            // premature grace period followed by a re-registration would.
            UprobeConsumer[] consumers = u.consumersAcquire();
            slab.free(u);
            slab.allocate(inode, offset).setConsumersRelease(consumers);
        }
        invariants.endUse(slot, u, gen);
        return result;
    }

    @Override
    public CpuSlots slots() {
        return slots;
    }

    @Override
    public InvariantCounters invariants() {
        return invariants;
    }

    @Override
    public Slab slab() {
        return slab;
    }

    @Override
    public long checkLeaks() {
        long leaks = slab.inUse();
        invariants.countShared(Violation.LEAK, leaks);
        return leaks;
    }
}
