package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.ReturnProbeSupport;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.sync.CallbackReclaimer;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;
import dev.uprobebench.sync.Srcu;

/**
 * {@code seqcount-rcu}: mainline since Linux 6.13, "uprobes: switch to RCU Tasks Trace flavor for
 * better performance" (Andrii Nakryiko): the lockless {@code find_uprobe_rcu()} that 6.12 shipped
 * under SRCU ({@code srcu}, commit 50a38035ed5c, "uprobes: perform lockless SRCU-protected
 * uprobes_tree lookup"), now under {@code rcu_read_lock_trace()}.
 *
 * <p>Hit path: RCU read lock; {@code find_uprobe_rcu()} (seqcount-checked lockless search); the
 * handlers, still inside the read section; RCU unlock. No reference is taken: nothing shared is
 * written on the hit path. The last put of a removed uprobe schedules work that erases it under the
 * tree lock and the seqcount, then chains its free through two grace periods:
 * {@code call_srcu(&uretprobes_srcu)}, then {@code call_rcu_tasks_trace()}, then free (6.13's
 * "uprobes: SRCU-protect uretprobe lifetime" and "uprobes: switch to RCU Tasks Trace"); the
 * unregistering thread only drops its reference.
 *
 * <p>The kernel protects this path with RCU Tasks Trace; the flavour here is the profile's choice:
 * QSBR (the default, the closest model of non-preemptible RCU) or memb (a fenced read side).
 */
public final class SeqcountRcuRegistry extends RcuTreeRegistry implements ReturnProbeSupport {
    /**
     * {@code uretprobes_srcu}: the return-probe SRCU domain whose grace period a freed uprobe waits
     * out first (6.13's free chain). Return-probe leases ({@code dev.uprobebench.uret}) hold it; it
     * is an SRCU-fast-updown domain, whose barrier is this registry's RCU grace period, when the
     * configuration asks for one.
     */
    private final Srcu uretprobesSrcu;
    /**
     * The deferred work of the last put ({@code uprobe->work} on {@code system_wq}): a single worker
     * thread, run without a grace period of its own; null where the grace periods run inline.
     */
    private final CallbackReclaimer work;

    public SeqcountRcuRegistry(RegistryConfig config) {
        super(Backend.SEQCOUNT_RCU, config);
        this.uretprobesSrcu = config.fastUretprobeSrcu()
                ? config.gracePeriods().srcuFastUpDown(config.slots(), rcu::synchronize)
                : config.gracePeriods().srcu(config.slots());
        this.work = config.gracePeriods().putWork("uprobe-put-work");
    }

    /**
     * 6.13's {@code put_uprobe()}: the last put does not erase on the putting thread; it schedules
     * work that takes the tree lock, erases under the seqcount if the uprobe is still linked (a
     * registration may have erased it first, {@code __insert_uprobe}), and starts the free chain.
     */
    @Override
    protected void lastPut(Uprobe u) {
        if (work == null) { // model checking: the put work runs on the putting thread
            eraseAndDeferFree(u);
        } else {
            work.call(() -> eraseAndDeferFree(u));
        }
    }

    /**
     * The free chain: {@code call_srcu(&uretprobes_srcu)}, whose callback does
     * {@code call_rcu_tasks_trace()}, whose callback frees. A uprobe is freed only after both grace
     * periods, each started after the one before ended.
     */
    @Override
    protected void deferFree(Uprobe u) {
        uretprobesSrcu.call(() -> rcu.call(() -> slab.free(u)));
    }

    /**
     * {@code uprobe_unregister_sync()} in 6.13: {@code synchronize_rcu_tasks_trace()}, then
     * {@code synchronize_srcu(&uretprobes_srcu)}. It does not wait for pending put work, as in the
     * kernel: a key re-registered meanwhile finds its dying uprobe and erases it itself.
     */
    @Override
    public void synchronize() {
        rcu.synchronize();
        uretprobesSrcu.synchronize();
    }

    /** Every deferred step so far: the put work, then the SRCU callbacks, then the RCU frees. */
    @Override
    public void barrier() {
        if (work != null) {
            work.barrier();
        }
        uretprobesSrcu.barrier();
        rcu.barrier();
    }

    /** Test-only: waits until every put work scheduled so far has run (not for the grace periods). */
    void awaitPutWork() {
        if (work != null) {
            work.barrier();
        }
    }

    /** Test-only: the return-probe SRCU domain. */
    Srcu uretprobesSrcu() {
        return uretprobesSrcu;
    }

    @Override
    public Srcu uretprobeDomain() {
        return uretprobesSrcu;
    }

    @Override
    public void callRcu(Runnable callback) {
        rcu.call(callback);
    }

    @Override
    public void returnEnter(CpuSlot slot) {
        rcu.readLock(slot.id());
    }

    @Override
    public void returnExit(CpuSlot slot) {
        rcu.readUnlock(slot.id());
    }

    @Override
    public boolean tryGet(Uprobe u) {
        return u.tryGetRef();
    }

    @Override
    public void putUprobe(Uprobe u) {
        put(u);
    }

    @Override
    protected long internalLeaks() {
        return super.internalLeaks() + uretprobesSrcu.readersInside();
    }

    @Override
    public void close() {
        if (work != null) {
            work.close();
        }
        uretprobesSrcu.close();
        super.close();
    }

    @Override
    public long hit(CpuSlot slot, long inode, long offset, HitCheck check) {
        return hitEntry(slot, inode, offset, check, null);
    }

    @Override
    public long hitEntry(CpuSlot slot, long inode, long offset, HitCheck check, EntryHook entry) {
        int s = slot.id();
        rcu.readLock(s);
        RbNode n = findRetrying(slot, inode, offset);
        if (n == null || n == RcuRbTree.LOST) {
            rcu.readUnlock(s);
            return missed(slot, n, inode, offset, check);
        }
        Uprobe u = (Uprobe) n;
        int found = u.generationAcquire(); // where the node was found, before anything can recycle it
        hooks.afterFind(slot, u);
        if (!check.found(slot)) {
            rcu.readUnlock(s);
            return RETRY;
        }
        if (u.consumersAcquire().length == 0) {
            // Unregistered, its put work not run yet: in the kernel its breakpoints were removed
            // with its last consumer, so nothing traps here any more. A miss (still checked).
            invariants.checkFound(slot, u, found);
            rcu.readUnlock(s);
            return missed(slot, null, inode, offset);
        }
        int gen = invariants.beginUse(slot, u, found, inode, offset);
        long result = runHandlers(u);
        if (entry != null) {
            entry.prepare(slot, u, gen); // prepare_uretprobe(), inside handler_chain()
        }
        invariants.endUse(slot, u, gen);
        rcu.readUnlock(s);
        return result;
    }
}
