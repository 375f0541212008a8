/**
 * Synchronization primitives, modelled on the Linux kernel's: per-CPU slots, a reader-writer
 * spinlock, a seqcount, user-space RCU and SRCU, and a red-black tree that lockless readers may
 * descend while a writer rebalances it. Nothing here knows about uprobes.
 *
 * <h2>Memory-ordering convention</h2>
 * Every shared field is accessed through a {@link java.lang.invoke.VarHandle} and the access mode
 * is part of the method name, as in Caffeine and JCTools' VarHandle queues:
 * <ul>
 *   <li>{@code get}/{@code set} without suffix: plain access, only by the owning thread or under a lock;</li>
 *   <li>{@code getOpaque}/{@code setOpaque}: READ_ONCE/WRITE_ONCE, no ordering with other accesses;</li>
 *   <li>{@code getAcquire}/{@code setRelease}: {@code smp_load_acquire}/{@code smp_store_release},
 *       and {@code rcu_dereference}/{@code rcu_assign_pointer} for links;</li>
 *   <li>{@code getVolatile}/{@code setVolatile}, {@code compareAndSet}, {@code getAndAdd}:
 *       sequentially consistent, the kernel's fully ordered atomics;</li>
 *   <li>{@code VarHandle.fullFence()} where the kernel has {@code smp_mb()}.</li>
 * </ul>
 * {@code sun.misc.Unsafe} is never used.
 *
 * <h2>Per-CPU data</h2>
 * Each thread that enters a read side owns a {@link dev.uprobebench.sync.CpuSlot}; per-CPU data is
 * an array indexed by slot with a 128-byte stride ({@link dev.uprobebench.sync.SlotLongs}), so two
 * slots never share a cache line, nor a pair of lines fetched together by the adjacent-line
 * prefetcher.
 */
package dev.uprobebench.sync;
