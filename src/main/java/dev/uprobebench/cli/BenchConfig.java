package dev.uprobebench.cli;

import dev.uprobebench.pin.PinningPlan;
import dev.uprobebench.registry.Backend;
import java.util.Locale;

/**
 * One configuration of a profile: a back-end under one workload with given reader and writer
 * counts, and where its threads go.
 *
 * @param rcuFlavour the RCU read side, or {@code "-"} for back-ends that do not use RCU
 */
public record BenchConfig(Backend backend, int readers, int writers, String churn, int stable, String distribution,
        long handlerWork, String rcuFlavour, PinningPlan pins) {

    /** A file-name-safe identifier, unique within a profile. */
    public String id() {
        StringBuilder sb = new StringBuilder();
        sb.append(backend.cliName());
        if (!rcuFlavour.equals("-")) {
            sb.append('-').append(rcuFlavour);
        }
        sb.append("_r").append(readers).append("_w").append(writers).append("_churn-").append(churn)
                .append("_s").append(stable).append('_').append(distribution).append("_h").append(handlerWork);
        return sb.toString();
    }

    /** The row label in tables: back-end, with its RCU flavour where it has one. */
    public String label() {
        return rcuFlavour.equals("-") ? backend.cliName() : backend.cliName() + " (" + rcuFlavour + ")";
    }

    /** Everything but back-end and readers: the question a table answers. */
    public String scenario() {
        String c = churn.equals("0") ? "no churn" : "churn " + (churn.equals("max") ? "max" : churn + "/s") + " x "
                + writers + " writer" + (writers == 1 ? "" : "s");
        return String.format(Locale.ROOT, "%s, %d stable uprobes, %s keys, handler work %d", c, stable, distribution,
                handlerWork);
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s r=%d w=%d churn=%s stable=%d %s handler=%d", label(), readers, writers,
                churn, stable, distribution, handlerWork);
    }
}
