package dev.uprobebench.uret;

import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.ReturnProbeSupport;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.SeqCount;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Return probes over one registry: each hitting thread's {@link Task} (its {@code uprobe_task}:
 * the stack of pending returns, the return-instance pool and the timer's deadline), one lifetime
 * design for all of them, and the timer thread that expires leases.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>The registry implements {@link ReturnProbeSupport} (today {@code seqcount-rcu}, the
 *       mainline lookup the three designs were measured on); the constructor refuses others.</li>
 *   <li>A {@link Task} is used by one thread, which is an online reader of the registry whenever
 *       it calls {@link Task#hit} or {@link Task#drain}; every pending return is drained before the
 *       thread goes offline for good.</li>
 *   <li>Each task has its own timer ({@code utask->ri_timer}): a thread of its own, started with
 *       the task and pinned to the CPUs the task's thread is pinned to (the kernel's timer fires on
 *       the CPU that armed it, interrupting the task there), owning one slot of the registry, an
 *       RCU reader only while it runs, never blocking a grace period while it sleeps. Tests that
 *       drive the timer by hand ({@link #fire}) use one more slot of the instance's.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * The timer and a task's returns race on the task's instances. 6.14's {@code ri_timer} runs inside
 * {@code write_seqcount_begin(&utask->ri_seqcount)}; a return pushes its instance back to the pool
 * only when {@code raw_seqcount_try_begin} sees no timer inside, and otherwise drops it (the
 * kernel's {@code kfree_rcu}; here the garbage collector, which frees it once nothing references
 * it). The pop's store and the timer's sequence store are each followed by a full barrier before
 * the other side's load (store buffering): either the timer sees the shorter stack or the return
 * sees the timer inside.
 *
 * <h2>The return path's ordering, step by step against {@code uprobes.c} (6.14)</h2>
 * The model pays for no ordering the kernel does not; where it keeps one, the kernel has it too:
 * <table>
 * <caption>handle_trampoline() and prepare_uretprobe() against Task#returnTop and Task#prepare</caption>
 * <tr><th>kernel</th><th>access</th><th>model</th></tr>
 * <tr><td>{@code rcu_assign_pointer(utask->return_instances, ri)} (push)</td><td>release store</td>
 *     <td>{@code FRAMES.setRelease}</td></tr>
 * <tr><td>{@code utask->depth++} / {@code depth--}</td><td>plain (owner; the timer walks the list)</td>
 *     <td>{@code DEPTH.setRelease}: the timer walks the stack up to the depth, so it must see the
 *     frames below it published; a release store, no fence (was a volatile store: a full fence on
 *     x86 on every push and pop, the kernel's {@code depth} has none)</td></tr>
 * <tr><td>{@code mod_timer()} fast path</td><td>a load, a store only when the deadline moves</td>
 *     <td>the same (a coarse clock, {@code jiffies})</td></tr>
 * <tr><td>{@code rcu_assign_pointer(utask->return_instances, ri_next)} (pop), before the handlers</td>
 *     <td>release store</td><td>{@code FRAMES.setRelease(null)} and the depth, now also before
 *     consume (the model popped after the handlers before)</td></tr>
 * <tr><td>{@code hprobe_consume()}: {@code xchg(&hprobe->state, HPROBE_CONSUMED)}</td>
 *     <td>atomic exchange: a full barrier</td><td>{@code getAndSet} for the leasing designs; the
 *     {@code refcount} design (6.12) has no state to exchange and no timer, so it reads and writes
 *     the state plainly (it exchanged it before: an atomic 6.12 did not have)</td></tr>
 * <tr><td>{@code hprobe_finalize()}: {@code __srcu_read_unlock} or {@code put_uprobe}</td>
 *     <td>SRCU unlock ({@code smp_mb} for a fenced domain, none for fast up/down) or
 *     {@code refcount_dec_and_test} (a full barrier)</td><td>the same</td></tr>
 * <tr><td>{@code free_ret_instance()}: {@code raw_seqcount_try_begin(&utask->ri_seqcount)}, then
 *     {@code ri_pool_push} or {@code kfree_rcu}</td><td>a load and {@code smp_rmb}; the store-load
 *     order against the pop comes from the exchange above, which lies between them</td><td>the same:
 *     the explicit full fence the model had here is gone, the consume's {@code getAndSet} is that
 *     barrier; {@code refcount} has no timer, so its sequence is never odd</td></tr>
 * <tr><td>(none)</td><td>-</td><td>the checker's count of a lease's unlocks: opaque, owner or
 *     winner only (was an atomic add on every unlock); a double unlock the per-instance count
 *     misses in a simultaneous race still shows in the balance of leases and unlocks at
 *     {@link #close()}</td></tr>
 * </table>
 */
public final class ReturnProbes implements AutoCloseable {
    private final UprobeRegistry registry;
    private final ReturnProbeSupport support;
    private final UretprobeLifetime lifetime;
    private final ReturnProbeConfig config;
    private final List<Task> tasks = new CopyOnWriteArrayList<>();
    /** Start a timer thread per task (false: tests drive {@link #fire} by hand). */
    private final boolean startTimers;
    private final List<Thread> timers = new CopyOnWriteArrayList<>();
    /** The first failure of a timer thread, rethrown by {@link #close()}. */
    private final java.util.concurrent.atomic.AtomicReference<Throwable> timerFailure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final CpuSlot timerSlot;
    private volatile boolean closed;
    /**
     * The kernel's {@code jiffies}: a coarse clock the timer threads advance at each of their checks
     * and entries read to re-arm their task's timer. A read-mostly shared word, as in the kernel;
     * it saves every entry a {@code System.nanoTime()} call that {@code mod_timer} does not make.
     */
    private volatile long jiffies = System.nanoTime();

    public ReturnProbes(UprobeRegistry registry, ReturnProbeConfig config) {
        this(registry, config, LeaseHooks.NONE, true);
    }

    /** Test-only: hooks in the lease state machine; {@code startTimer} false drives the timer by hand. */
    ReturnProbes(UprobeRegistry registry, ReturnProbeConfig config, LeaseHooks hooks, boolean startTimer) {
        this(registry, config, s -> config.lifetime().create(s, registry.invariants(), hooks), startTimer);
    }

    /** Test-only: a lifetime made by {@code design} (the mutants). */
    ReturnProbes(UprobeRegistry registry, ReturnProbeConfig config,
            Function<ReturnProbeSupport, UretprobeLifetime> design, boolean startTimer) {
        this.registry = registry;
        this.support = supportOf(registry, config);
        this.config = config;
        this.lifetime = design.apply(support);
        this.timerSlot = registry.slots().acquire();
        this.startTimers = startTimer && config.lifetime().leases();
    }

    private static ReturnProbeSupport supportOf(UprobeRegistry registry, ReturnProbeConfig config) {
        if (!(registry instanceof ReturnProbeSupport)) {
            throw new IllegalArgumentException("return probes run on the mainline lookup; back-end '"
                    + registry.backend().cliName() + "' has no uretprobe lifetime; valid: seqcount-rcu");
        }
        ReturnProbeSupport s = (ReturnProbeSupport) registry;
        boolean wantsFast = config.lifetime() == Lifetime.SRCU_UPDOWN;
        if (wantsFast != s.uretprobeDomain().isFast()) {
            throw new IllegalArgumentException("lifetime '" + config.lifetime().label()
                    + "' needs a registry whose uretprobes_srcu is " + (wantsFast
                            ? "fast up/down (RegistryConfig.withFastUretprobeSrcu)" : "a fenced SRCU domain"));
        }
        return s;
    }

    public ReturnProbeConfig config() {
        return config;
    }

    UretprobeLifetime lifetime() {
        return lifetime;
    }

    /**
     * A new task for the calling thread, which hits through it with {@code slot}; with a leasing
     * design, its timer thread starts, pinned where the calling thread is.
     */
    public Task newTask(CpuSlot slot) {
        Task t = new Task(slot);
        tasks.add(t);
        if (startTimers) {
            java.util.BitSet cpus = currentAffinity();
            CpuSlot own = registry.slots().acquire();
            Thread timer = new Thread(() -> {
                if (cpus != null) {
                    net.openhft.affinity.Affinity.setAffinity(cpus);
                }
                t.timerCpus = currentAffinity(); // what the timer thread reads back, for the report and tests
                try {
                    timerLoop(t, own);
                } catch (Throwable e) {
                    timerFailure.compareAndSet(null, e); // close() reports it
                } finally {
                    registry.slots().release(own);
                }
            }, "uretprobe-timer-" + timers.size());
            timer.setDaemon(true);
            timers.add(timer);
            timer.start();
        }
        return t;
    }

    /** The return handlers ({@code handle_uretprobe_chain}): the uprobe's consumers. */
    static long runReturnHandlers(Uprobe u) {
        long sum = 0;
        for (UprobeConsumer c : u.consumersAcquire()) {
            sum += c.handle(u);
        }
        return sum;
    }

    // ---- the timer ------------------------------------------------------------------------------

    private long pollNanos() {
        return Math.max(TimeUnit.MICROSECONDS.toNanos(50),
                Math.min(TimeUnit.MILLISECONDS.toNanos(10), config.timeoutNanos() / 8));
    }

    /** The calling thread's CPU set, or null where it cannot be read (then the timer is not pinned). */
    private static java.util.BitSet currentAffinity() {
        try {
            return net.openhft.affinity.Affinity.getAffinity();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** One task's {@code ri_timer}: wakes at the tick, fires once the deadline has passed. */
    private void timerLoop(Task t, CpuSlot slot) {
        long poll = pollNanos();
        while (!closed) {
            long now = System.nanoTime();
            jiffies = now; // the tick: every timer advances the shared coarse clock
            long deadline = t.deadlineAcquire();
            if (deadline != 0 && now - deadline >= 0 && t.disarm(deadline)) {
                fire(t, slot);
            }
            LockSupport.parkNanos(poll);
        }
    }

    /**
     * {@code ri_timer}: under the registry's RCU and the lifetime's SRCU guard, inside the task's
     * sequence write section, expires every lease the task holds. Runs on the timer thread, or on a
     * test's thread standing in for it.
     */
    void fire(Task t) {
        fire(t, timerSlot);
    }

    /** {@link #fire(Task)} on the timer's own {@code timerSlot}. */
    private void fire(Task t, CpuSlot timerSlot) {
        registry.readerOnline(timerSlot);
        try {
            support.returnEnter(timerSlot); // guard(rcu)
            int guard = lifetime.timerGuard(timerSlot); // guard(srcu)(&uretprobes_srcu)
            try {
                t.riSeq.writeBegin();
                try {
                    expireLeases(t, timerSlot);
                } finally {
                    t.riSeq.writeEnd();
                }
            } finally {
                // the guards are released even when the expiry failed: a timer that died holding
                // uretprobes_srcu would hang every later grace period, and the failure would show
                // as a hang instead of itself
                lifetime.timerUnguard(timerSlot, guard);
                support.returnExit(timerSlot);
            }
            t.timerRuns++;
        } finally {
            registry.readerOffline(timerSlot); // never hold a grace period while asleep
        }
    }

    /** Inside the task's sequence write section: every lease on its stack expired ({@code hprobe_expire}). */
    private void expireLeases(Task t, CpuSlot timerSlot) {
        VarHandle.fullFence(); // store buffering with the return's pop (see the class notes)
        int depth = t.pending(); // acquire: the instances below it are published
        for (int i = 0; i < depth; i++) {
            ReturnInstance ri = t.frameAcquire(i);
            if (ri == null) {
                continue;
            }
            int r = lifetime.expire(timerSlot, ri);
            if (r == 1) {
                t.expiredStable++;
            } else if (r == 2) {
                t.expiredGone++;
            }
        }
    }

    /** Stops the timer. Tasks must have been drained. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Thread timer : timers) {
            LockSupport.unpark(timer);
            try {
                timer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        registry.slots().release(timerSlot);
        checkUnlockBalance();
        Throwable f = timerFailure.get();
        if (f != null) {
            throw new IllegalStateException("a uretprobe timer failed: " + f, f);
        }
    }

    /**
     * The checker's exact count of lease unlocks, off the hit path: every lease taken is unlocked
     * once, by its return or by the timer. More unlocks than leases is a double unlock
     * ({@link Violation#LEASE_UNLOCK}), counted here even when two unlocks of one lease raced past
     * the per-instance count; fewer is a lease left held, which the domain's leak check counts.
     */
    private void checkUnlockBalance() {
        if (!config.lifetime().leases()) {
            return;
        }
        Counts c = counts();
        long extra = c.returnUnlocks + c.expired() - c.entries;
        if (extra > 0 && c.pending == 0) {
            registry.invariants().countShared(dev.uprobebench.registry.Violation.LEASE_UNLOCK, extra);
        }
    }

    /** Totals over every task and the timer; exact once the threads have stopped. */
    public Counts counts() {
        Counts c = new Counts();
        for (Task t : tasks) {
            c.entries += t.entries;
            c.returns += t.returns;
            c.returnsGone += t.returnsGone;
            c.refused += t.refused;
            c.skippedDepth += t.skippedDepth;
            c.riAllocated += t.riAllocated;
            c.riReused += t.riReused;
            c.riDropped += t.riDropped;
            c.riRcuFreed += t.rcuFreed.get();
            c.pending += t.pending();
            c.timerRuns += t.timerRuns;
            c.expiredStable += t.expiredStable;
            c.expiredGone += t.expiredGone;
            c.returnUnlocks += t.returnUnlocks;
        }
        long[] gp = support.uretprobeDomain().graceStats();
        c.gracePeriods = gp[0];
        c.graceNanos = gp[1];
        c.graceMaxNanos = gp[2];
        return c;
    }

    /** What return probes did in a run. */
    public static final class Counts {
        public long entries;
        public long returns;
        /** Returns whose lease the timer had found dying: no handler ran. */
        public long returnsGone;
        /** Entries that got no instance: the uprobe was dying ({@code refcount}). */
        public long refused;
        /** Entries that got no instance: the stack was full. */
        public long skippedDepth;
        /** Instances allocated: new objects ({@code pool}, {@code alloc}), or every entry's kmalloc ({@code rcu-free}). */
        public long riAllocated;
        /** Instances taken from the pool, or ({@code rcu-free}) kmallocs served from the slab's freed instances. */
        public long riReused;
        /** Instances not pooled because the timer was running (the kernel's {@code kfree_rcu}). */
        public long riDropped;
        /** Instances freed through a grace period and back in their task's slab ({@code ri-alloc=rcu-free}). */
        public long riRcuFreed;
        /** Returns still pending (0 after every task drained). */
        public long pending;
        /** Leases the returns unlocked themselves (the timer's are {@link #expired()}). */
        public long returnUnlocks;
        public long timerRuns;
        /** Leases the timer turned into a reference. */
        public long expiredStable;
        /** Leases the timer found dying. */
        public long expiredGone;
        /** {@code uretprobes_srcu} grace periods, their total and longest wait. */
        public long gracePeriods;
        public long graceNanos;
        public long graceMaxNanos;

        public long expired() {
            return expiredStable + expiredGone;
        }

        @Override
        public String toString() {
            return String.format("entries %,d, returns %,d (after GONE %,d), refused %,d, over depth %,d; "
                    + "expired %,d (stable %,d, gone %,d) in %,d timer runs; instances allocated %,d, reused %,d, "
                    + "dropped %,d, freed after a grace period %,d; uretprobes_srcu grace periods %,d (mean %,d us, "
                    + "max %,d us)",
                    entries, returns, returnsGone, refused, skippedDepth, expired(), expiredStable, expiredGone,
                    timerRuns, riAllocated, riReused, riDropped, riRcuFreed, gracePeriods,
                    gracePeriods == 0 ? 0 : graceNanos / gracePeriods / 1000, graceMaxNanos / 1000);
        }
    }

    // ---- a task ---------------------------------------------------------------------------------

    /**
     * One thread's {@code uprobe_task}: its pending returns (a bounded stack, innermost last), its
     * pool of return instances, {@code ri_seqcount} and the timer's deadline. Owner-only except
     * where noted.
     */
    public final class Task implements ReturnProbeSupport.EntryHook {
        private final CpuSlot slot;
        private final ReturnInstance[] stack;
        private final ReturnInstance[] pool;
        private int pooled;
        /** Written with release by the owner, read with acquire by the timer (see the table above). */
        @SuppressWarnings("unused") // accessed through DEPTH
        private int depth;
        /** Returns that unlocked their lease themselves (owner-only; summed at close). */
        long returnUnlocks;
        /** The CPUs this task's timer thread runs on, as it read them back (null until it started, or unreadable). */
        volatile java.util.BitSet timerCpus;

        // Written by whoever runs this task's timer (its timer thread, or a test's), one at a time.
        long timerRuns;
        long expiredStable;
        long expiredGone;
        /** The timer's deadline, {@code System.nanoTime()}; 0 when disarmed. Written by both. */
        private volatile long deadline;
        final SeqCount riSeq = new SeqCount();
        private long hits;
        private Histogram returnLatency;
        long entries;
        long returns;
        long returnsGone;
        long refused;
        long skippedDepth;
        long riAllocated;
        long riReused;
        long riDropped;
        /** Written by the RCU callback thread, read after the threads stop. */
        private final java.util.concurrent.atomic.AtomicLong rcuFreed = new java.util.concurrent.atomic.AtomicLong();
        /**
         * {@code ri-alloc=rcu-free}: this task's slab of instances (owner-only), the batch of freed
         * instances waiting for their grace period (owner-only, handed over whole, as the kernel's
         * per-CPU {@code kfree_rcu} batches are), and the batches whose grace period has ended
         * (pushed by the RCU callback thread, taken whole by the owner).
         */
        private ReturnInstance[] slab;
        private int slabTop;
        private ReturnInstance[] freeing;
        private int freeingCount;
        private final java.util.concurrent.atomic.AtomicReference<FreedBatch> freed =
                new java.util.concurrent.atomic.AtomicReference<>();

        Task(CpuSlot slot) {
            this.slot = slot;
            this.stack = new ReturnInstance[config.maxDepth()];
            this.pool = new ReturnInstance[config.maxDepth()];
            if (config.riRcuFree()) {
                this.slab = new ReturnInstance[RCU_FREE_BATCH * 4];
                this.freeing = new ReturnInstance[RCU_FREE_BATCH];
            }
        }

        /** Records each return's latency (the return path alone) into {@code h}, owner-written. */
        public void recordReturnLatency(Histogram h) {
            returnLatency = h;
        }

        ReturnInstance frameAcquire(int i) {
            return (ReturnInstance) FRAMES.getAcquire(stack, i);
        }

        long deadlineAcquire() {
            return deadline;
        }

        /** The timer takes the deadline it saw; false if an entry re-armed it meanwhile. */
        private boolean disarm(long seen) {
            return DEADLINE.compareAndSet(this, seen, 0L);
        }

        public int pending() {
            return (int) DEPTH.getAcquire(this);
        }

        /**
         * One breakpoint hit through this task: an entry when the key is a return probe, a plain hit
         * otherwise; then the returns whose time has come.
         */
        public long hit(long inode, long offset, HitCheck check) {
            long r = config.isReturnProbe(offset)
                    ? support.hitEntry(slot, inode, offset, check, this)
                    : registry.hit(slot, inode, offset, check);
            if (r != UprobeRegistry.RETRY) {
                hits++;
                returnDue();
            }
            return r;
        }

        public long hit(long inode, long offset) {
            return hit(inode, offset, HitCheck.NONE);
        }

        /** {@code prepare_uretprobe()}: runs inside the entry hit's read section. */
        @Override
        public void prepare(CpuSlot s, Uprobe u, int generation) {
            int d = (int) DEPTH.get(this);
            if (d >= stack.length) {
                skippedDepth++; // "omit uretprobe due to nested depth limit"
                return;
            }
            ReturnInstance ri = obtain();
            if (!lifetime.enter(s, u, generation, ri)) {
                refused++;
                recycle(ri);
                return;
            }
            ri.due = dueFor(d);
            FRAMES.setRelease(stack, d, ri);
            DEPTH.setRelease(this, d + 1);
            if (config.lifetime().leases()) {
                // mod_timer(&utask->ri_timer, jiffies + RI_TIMER_PERIOD) on each push; its fast path
                // (a pending timer already due then) writes nothing.
                long due = jiffies + config.timeoutNanos();
                if (due != deadline) {
                    deadline = due;
                }
            }
            entries++;
        }

        /** When the function entered now returns: never after its caller (nesting). */
        private long dueFor(int d) {
            long own = config.durationHits() >= 0 ? hits + config.durationHits() + 1
                    : System.nanoTime() + config.durationNanos();
            return d == 0 ? own : Math.min(own, stack[d - 1].due);
        }

        private ReturnInstance obtain() {
            if (config.riPool() && pooled > 0) {
                riReused++;
                ReturnInstance ri = pool[--pooled];
                pool[pooled] = null;
                return ri;
            }
            if (config.riRcuFree()) {
                return slabAllocate();
            }
            riAllocated++;
            return new ReturnInstance();
        }

        /** {@code kmalloc} from this task's slab, refilled from batches whose grace period ended; grown when empty. */
        private ReturnInstance slabAllocate() {
            riAllocated++;
            if (slabTop == 0) {
                for (FreedBatch b = freed.getAndSet(null); b != null; b = b.next) {
                    for (int i = 0; i < b.count; i++) {
                        if (slabTop == slab.length) {
                            slab = java.util.Arrays.copyOf(slab, slab.length * 2);
                        }
                        slab[slabTop++] = b.instances[i];
                    }
                }
            }
            if (slabTop == 0) {
                return new ReturnInstance(); // the slab grows, as a kmalloc cache takes a new page
            }
            riReused++; // a kmalloc served by an instance freed through a grace period
            ReturnInstance ri = slab[--slabTop];
            slab[slabTop] = null;
            return ri;
        }

        /**
         * {@code kfree_rcu(ri)}: into the current batch; a full batch goes to the RCU callback
         * thread in one call, and comes back to this task's slab after a grace period.
         */
        private void freeAfterGracePeriod(ReturnInstance ri) {
            freeing[freeingCount++] = ri;
            if (freeingCount == freeing.length) {
                submitFreeing();
            }
        }

        private void submitFreeing() {
            if (freeingCount == 0) {
                return;
            }
            FreedBatch b = new FreedBatch(freeing, freeingCount);
            freeing = new ReturnInstance[RCU_FREE_BATCH];
            freeingCount = 0;
            support.callRcu(() -> {
                rcuFreed.addAndGet(b.count);
                FreedBatch head;
                do {
                    head = freed.get();
                    b.next = head;
                } while (!freed.compareAndSet(head, b));
            });
        }

        /** An instance nobody else can see: back to the pool (pool mode), or dropped. */
        private void recycle(ReturnInstance ri) {
            if (config.riPool() && pooled < pool.length) {
                pool[pooled++] = ri;
            }
        }

        /** The returns whose function has finished, innermost first. */
        public void returnDue() {
            int d = (int) DEPTH.get(this);
            if (d == 0) {
                return;
            }
            long now = config.durationHits() >= 0 ? hits : System.nanoTime();
            while (d > 0 && stack[d - 1].due - now <= 0) {
                returnTop(d);
                d--;
            }
        }

        /** Returns every pending function (teardown). The thread must be an online reader. */
        public void drain() {
            for (int d = (int) DEPTH.get(this); d > 0; d--) {
                returnTop(d);
            }
            if (config.riRcuFree()) {
                submitFreeing();
            }
        }

        /** {@code handle_trampoline()} for the innermost pending return ({@code d == depth}). */
        private void returnTop(int d) {
            ReturnInstance ri = stack[d - 1];
            long t0 = returnLatency != null ? System.nanoTime() : 0;
            // Pop first, as handle_trampoline() does: the consume's exchange below then orders this
            // store before the sequence load in the reuse check (store buffering with the timer).
            FRAMES.setRelease(stack, d - 1, null);
            DEPTH.setRelease(this, d - 1);
            support.returnEnter(slot);
            int done = lifetime.consumeAndRelease(slot, ri);
            support.returnExit(slot);
            boolean ran = (done & UretprobeLifetime.RAN) != 0;
            if ((done & UretprobeLifetime.UNLOCKED) != 0) {
                returnUnlocks++;
            }
            if (returnLatency != null) {
                returnLatency.recordValue(Math.min(returnLatency.getHighestTrackableValue(), System.nanoTime() - t0));
            }
            returns++;
            if (!ran) {
                returnsGone++;
            }
            // Reuse only if no timer run is inside (free_ret_instance in 6.14).
            if (config.riRcuFree()) {
                freeAfterGracePeriod(ri); // before 6.14: the timer may still read it until a grace period ends
            } else if (config.riPool()) {
                if (riSeq.tryBegin() >= 0) {
                    recycle(ri);
                } else {
                    riDropped++;
                }
            }
        }
    }

    /** Return instances per {@code kfree_rcu} batch handed to the RCU callback thread. */
    static final int RCU_FREE_BATCH = 64;

    /** A batch of freed instances on its way back to its task's slab. */
    private static final class FreedBatch {
        final ReturnInstance[] instances;
        final int count;
        FreedBatch next;

        FreedBatch(ReturnInstance[] instances, int count) {
            this.instances = instances;
            this.count = count;
        }
    }

    private static final VarHandle DEADLINE;
    private static final VarHandle DEPTH;
    private static final VarHandle FRAMES = MethodHandles.arrayElementVarHandle(ReturnInstance[].class);

    static {
        try {
            DEADLINE = MethodHandles.lookup().findVarHandle(Task.class, "deadline", long.class);
            DEPTH = MethodHandles.lookup().findVarHandle(Task.class, "depth", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
