/**
 * The command line behind {@code run-bench.sh} (picocli): parsing, exit codes and one-line errors,
 * nothing else; every command calls into {@code run}, {@code report} or {@code check}.
 */
package dev.uprobebench.cli;
