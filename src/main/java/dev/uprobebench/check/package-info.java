/**
 * The invariant checker's run-level half and the torture driver: many readers and writers against
 * one back-end for a while, then teardown with the leak check. The hit-path checks themselves
 * live in {@link dev.uprobebench.registry.InvariantCounters}, which every back-end calls.
 * Everything here sees back-ends only through {@link dev.uprobebench.registry.UprobeRegistry}.
 */
package dev.uprobebench.check;
