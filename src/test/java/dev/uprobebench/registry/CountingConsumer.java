package dev.uprobebench.registry;

import java.util.concurrent.atomic.AtomicLong;

/** A consumer that counts its handler calls. */
public final class CountingConsumer extends UprobeConsumer {
    private final AtomicLong calls = new AtomicLong();

    @Override
    public long handle(Uprobe uprobe) {
        calls.incrementAndGet();
        return super.handle(uprobe);
    }

    public long calls() {
        return calls.get();
    }
}
