package dev.uprobebench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.registry.RaceHooks;
import dev.uprobebench.sync.RcuFlavour;
import dev.uprobebench.sync.SeqCount;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seqcount retry of the lockless lookups, under churn that moves the very nodes the readers
 * look for: stable and churn keys interleaved (stable at even offsets, churn at odd ones), every
 * read aimed at a stable key, where a miss is always a false negative. The fixed designs must
 * retry (the retry path is exercised) and never miss; without the retry, the misses must show.
 */
class FalseNegativeTortureTest {
    /** 1 reader and 1 writer (2 cores), 64 stable keys with 64 churn keys between them, 2 s. */
    static final TortureConfig INTERLEAVED = TortureConfig.defaults().withThreads(1, 1).withMillis(2000)
            .withStable(64).withChurn(64, 0).withSyncEvery(0).withInterleavedKeys();

    /** The back-ends whose readers search the tree without a lock. */
    enum Lockless {
        SRCU(Backend.SRCU), SEQCOUNT_RCU(Backend.SEQCOUNT_RCU), PERCPU_REF(Backend.PERCPU_REF);

        final Backend backend;

        Lockless(Backend b) {
            this.backend = b;
        }
    }

    @ParameterizedTest
    @EnumSource(Lockless.class)
    void theRetryPathIsTakenAndNoStableKeyIsEverMissed(Lockless l) {
        // A run of 2 s took the retry 7 to 29 times here; runs shortened by uprobe.torture.scale
        // (the mutation profile) may take it none, so up to MAX_RUNS runs are made until one does.
        long retries = 0;
        String last = "";
        for (int run = 0; run < MAX_RUNS && retries == 0; run++) {
            TortureResult r = TortureDriver.run(l.backend, INTERLEAVED.withSeed(INTERLEAVED.seed() + run),
                    RcuFlavour.QSBR);
            System.out.println(r.format());
            assertEquals(0, r.totalViolations(), r.format());
            retries += r.retries();
            last = r.format();
        }
        assertTrue(retries > 0, "the writers' rotations sent readers round the retry loop: " + last);
    }

    private static final int MAX_RUNS = 4;

    /** The no-retry mutant: a lockless lookup's miss is final even when a writer ran during it. */
    static final RaceHooks NO_RETRY = new RaceHooks() {
        @Override
        public boolean lookupMustRetry(SeqCount seqcount, long start) {
            return false;
        }
    };

    @ParameterizedTest
    @EnumSource(Lockless.class)
    void withoutTheRetryTheMissesAreFalseNegatives(Lockless l) {
        // 17 to 72 false negatives per 2 s run here; shortened runs make up to MAX_RUNS attempts.
        long falseNegatives = 0;
        String last = "";
        for (int run = 0; run < MAX_RUNS && falseNegatives == 0; run++) {
            TortureResult r = TortureDriver.run(c -> l.backend.create(c.withHooks(NO_RETRY)),
                    INTERLEAVED.withSeed(INTERLEAVED.seed() + run), RcuFlavour.QSBR, l.backend);
            System.out.println("no-retry mutant " + r.format());
            falseNegatives += r.count(Violation.FALSE_NEGATIVE);
            last = r.format();
        }
        assertTrue(falseNegatives > 0, last);
    }
}
