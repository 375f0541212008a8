package dev.uprobebench.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deferred callbacks ({@code call_rcu}, {@code call_srcu}): queued by any thread, run in batches
 * by one reclaimer thread, each batch after one full grace period that started after every
 * callback in it was queued.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>A callback runs exactly once, after a grace period that began after its {@link #call}
 *       returned, on the reclaimer thread; callbacks of one batch run in queue order.</li>
 *   <li>{@link #barrier()} returns once every callback queued before it has run
 *       ({@code rcu_barrier}).</li>
 *   <li>{@link #call} is blocking only on a short lock; the reclaimer itself blocks in the grace
 *       period. A callback that throws stops nothing: the error is kept and rethrown by the next
 *       {@link #barrier()}.</li>
 *   <li>A grace period that throws stops nothing either, but its batch is <em>not</em> run (no
 *       grace period has passed, so running it could free what a reader still holds): the
 *       callbacks are dropped, which the leak check then sees, and the next {@link #barrier()}
 *       throws, naming the failure. It never blocks on them.</li>
 *   <li>After {@link #close()}, {@link #barrier()} still waits for the batches queued before it;
 *       it returns early only if the reclaimer thread is gone.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * The shape of liburcu's {@code call_rcu} worker thread ({@code urcu-call-rcu-impl.h}): take the
 * whole queue, run one {@code synchronize_rcu()}, invoke the batch. Batching amortizes one grace
 * period over every callback queued while the previous one was running.
 */
public final class CallbackReclaimer implements AutoCloseable {
    private final Runnable gracePeriod;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final Condition ran = lock.newCondition();
    private List<Runnable> queue = new ArrayList<>();
    private long enqueued;
    private long completed;
    private boolean closed;
    private Throwable failure;
    /** The reclaimer thread has left its loop. */
    private boolean exited;
    private final Thread thread;

    /** Starts a reclaimer thread named {@code name} that waits with {@code gracePeriod}. */
    public CallbackReclaimer(String name, Runnable gracePeriod) {
        this.gracePeriod = gracePeriod;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    public void call(Runnable callback) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("reclaimer is closed");
            }
            queue.add(callback);
            enqueued++;
            queued.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every callback queued so far has run. */
    public void barrier() {
        lock.lock();
        try {
            long target = enqueued;
            while (completed < target && !exited) {
                ran.awaitUninterruptibly();
            }
            if (failure != null) {
                Throwable f = failure;
                failure = null;
                throw new IllegalStateException("a deferred callback failed: " + f, f);
            }
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        try {
            drain();
        } finally {
            lock.lock();
            try {
                exited = true;
                ran.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void drain() {
        while (true) {
            List<Runnable> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    queued.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                batch = queue;
                queue = new ArrayList<>();
            } finally {
                lock.unlock();
            }
            Throwable error = null;
            try {
                gracePeriod.run();
                for (Runnable r : batch) {
                    try {
                        r.run();
                    } catch (Throwable t) {
                        error = t;
                    }
                }
            } catch (Throwable t) {
                error = new IllegalStateException("a grace period failed, so " + batch.size()
                        + " deferred callback(s) were dropped unrun: " + t, t);
            }
            lock.lock();
            try {
                completed += batch.size();
                if (error != null && failure == null) {
                    failure = error;
                }
                ran.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs what is queued, then stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queued.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
