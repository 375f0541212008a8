package dev.uprobebench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * Clean torture runs until they have made enough progress: a run shortened by a loaded machine
 * (a CI host, or PIT's parallel mutants) is followed by another, up to {@link #MAX_RUNS}. Every run
 * must be clean; the progress the test asks for is judged on the sum over runs, so a starved run
 * proves nothing either way and a safety failure fails at once.
 */
public final class TortureRuns {
    public static final int MAX_RUNS = 4;

    private final List<TortureResult> runs = new ArrayList<>();

    private TortureRuns() {
    }

    /**
     * Runs {@code run.apply(i)} for i = 0, 1, ... until {@code enough} holds for the runs so far,
     * or {@link #MAX_RUNS} runs were made. Each result is printed and asserted clean.
     */
    public static TortureRuns until(IntFunction<TortureResult> run, java.util.function.Predicate<TortureRuns> enough) {
        TortureRuns t = new TortureRuns();
        for (int i = 0; i < MAX_RUNS && (t.runs.isEmpty() || !enough.test(t)); i++) {
            TortureResult r = run.apply(i);
            System.out.println(r.format());
            assertEquals(0, r.totalViolations(), r.format());
            t.runs.add(r);
        }
        return t;
    }

    public long sum(ToLongFunction<TortureResult> count) {
        return runs.stream().mapToLong(count).sum();
    }

    public int size() {
        return runs.size();
    }

    /** Every run's report, for an assertion message. */
    public String format() {
        StringBuilder sb = new StringBuilder(runs.size() + " run(s):" + System.lineSeparator());
        runs.forEach(r -> sb.append(r.format()).append(System.lineSeparator()));
        return sb.toString();
    }
}
