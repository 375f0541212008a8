package dev.uprobebench.sync;

import java.util.function.IntConsumer;

/**
 * The grace-period primitives as tests need them, beside {@link GracePeriods#KERNEL}: broken ones
 * (grace periods that end at once: the mutant every checker must catch) and inline ones (callbacks
 * and put work run on the calling thread, for the model checkers, which schedule only the
 * scenario's own threads). They live here, not in main, as doubles of the seams
 * {@link Rcu#awaitGracePeriod()}, {@link Rcu#call}, {@link Srcu#awaitGracePeriod(boolean)},
 * {@link Srcu#call} and {@link PercpuRefs#scheduleSwitch(int)}.
 */
public final class TestGracePeriods implements GracePeriods {
    public static final GracePeriods BROKEN = new TestGracePeriods(true, false);
    public static final GracePeriods INLINE = new TestGracePeriods(false, true);
    public static final GracePeriods BROKEN_INLINE = new TestGracePeriods(true, true);

    private final boolean broken;
    private final boolean inline;

    private TestGracePeriods(boolean broken, boolean inline) {
        this.broken = broken;
        this.inline = inline;
    }

    /** An RCU of {@code flavour}, whose grace periods end at once when {@code broken}. */
    public static Rcu rcu(RcuFlavour flavour, int slots, boolean broken) {
        return rcu(flavour, slots, broken, false);
    }

    /**
     * An RCU of {@code flavour}: with {@code broken} its grace periods end at once; with
     * {@code inline} {@code call_rcu()} waits for the grace period and runs the callback on the
     * calling thread, with no reclaimer thread.
     */
    public static Rcu rcu(RcuFlavour flavour, int slots, boolean broken, boolean inline) {
        if (!broken && !inline) {
            return Rcu.create(flavour, slots);
        }
        return flavour == RcuFlavour.QSBR ? new Rcu.QsbrRcu(slots) {
            @Override
            protected void awaitGracePeriod() {
                if (!broken) {
                    super.awaitGracePeriod();
                }
            }

            @Override
            public void call(Runnable callback) {
                if (inline) {
                    synchronize();
                    callback.run();
                } else {
                    super.call(callback);
                }
            }
        } : new Rcu.MembRcu(slots) {
            @Override
            protected void awaitGracePeriod() {
                if (!broken) {
                    super.awaitGracePeriod();
                }
            }

            @Override
            public void call(Runnable callback) {
                if (inline) {
                    synchronize();
                    callback.run();
                } else {
                    super.call(callback);
                }
            }
        };
    }

    /**
     * A memb RCU whose {@code call_rcu} callbacks wait in a queue until the test runs them
     * ({@link #runQueued}), and which counts the grace periods it runs: for tests that choose when
     * a deferred callback lands (a stale {@code rcu_sync} exit) or how many grace periods a
     * protocol paid.
     */
    public static final class DeferringRcu extends Rcu.MembRcu {
        public final java.util.ArrayDeque<Runnable> queued = new java.util.ArrayDeque<>();
        public final java.util.concurrent.atomic.AtomicInteger gracePeriods = new java.util.concurrent.atomic.AtomicInteger();

        public DeferringRcu(int slots) {
            super(slots);
        }

        @Override
        protected void awaitGracePeriod() {
            gracePeriods.incrementAndGet();
            super.awaitGracePeriod();
        }

        @Override
        public void call(Runnable callback) {
            queued.add(callback);
        }

        /** Runs every queued callback, in queue order, as their grace periods would have. */
        public void runQueued() {
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
        }
    }

    /** A fenced SRCU domain, whose grace periods end at once when {@code broken}. */
    public static Srcu srcu(int slots, boolean broken) {
        return srcu(slots, null, broken, false);
    }

    /** An SRCU domain (fast with a barrier), broken and inline as {@link #rcu(RcuFlavour, int, boolean, boolean)}. */
    static Srcu srcu(int slots, Runnable asymmetricBarrier, boolean broken, boolean inline) {
        if (!broken && !inline) {
            return asymmetricBarrier == null ? new Srcu(slots) : Srcu.fastUpDown(slots, asymmetricBarrier);
        }
        return new Srcu(slots, asymmetricBarrier) {
            @Override
            protected void awaitGracePeriod(boolean waitInactive) {
                if (!broken) {
                    super.awaitGracePeriod(waitInactive);
                }
            }

            @Override
            public void call(Runnable callback) {
                if (inline) {
                    synchronize();
                    callback.run();
                } else {
                    super.call(callback);
                }
            }
        };
    }

    /** The mutant that skips the grace period's first wait (on the inactive index). */
    public static Srcu srcuWithoutInactiveWait(int slots) {
        return new Srcu(slots, null) {
            @Override
            protected void awaitGracePeriod(boolean waitInactive) {
                super.awaitGracePeriod(false);
            }
        };
    }

    /**
     * The double whose scan sums the lock counts before the unlock counts (docs/ablation.md): a
     * section inside across the scan and a short one that locks after the lock sum and unlocks
     * before the unlock sum balance each other.
     */
    public static Srcu srcuSummingLocksFirst(int slots) {
        return new Srcu(slots, null) {
            @Override
            boolean drained(int idx) {
                long locks = lockSum(idx);
                java.lang.invoke.VarHandle.fullFence();
                long unlocks = unlockSum(idx);
                return locks == unlocks;
            }
        };
    }

    /** The mutant that sums a killed ref's counters at once, without waiting for per-CPU operations in flight. */
    public static PercpuRefs refsSwitchingAtKill(Rcu rcu, int slots, int capacity, IntConsumer release,
            PercpuRefs.Hooks hooks) {
        return new PercpuRefs(rcu, slots, capacity, release, hooks) {
            @Override
            protected void scheduleSwitch(int index) {
                switchToAtomic(index);
            }
        };
    }

    @Override
    public Rcu rcu(RcuFlavour flavour, int slots) {
        return rcu(flavour, slots, broken, inline);
    }

    @Override
    public Srcu srcu(int slots) {
        return srcu(slots, null, broken, inline);
    }

    @Override
    public Srcu srcuFastUpDown(int slots, Runnable asymmetricBarrier) {
        if (asymmetricBarrier == null) {
            throw new IllegalArgumentException("a fast up/down SRCU domain needs an asymmetric barrier");
        }
        return srcu(slots, asymmetricBarrier, broken, inline);
    }

    @Override
    public CallbackReclaimer putWork(String name) {
        return inline ? null : GracePeriods.KERNEL.putWork(name);
    }

    @Override
    public String toString() {
        return (broken ? "broken" : "real") + (inline ? ", inline" : "");
    }
}
