/**
 * The uprobe registry model: the {@link dev.uprobebench.registry.UprobeRegistry} interface every
 * back-end implements, {@link dev.uprobebench.registry.Uprobe} and the
 * {@link dev.uprobebench.registry.Slab} it comes from, consumers, the invariant counters every hit
 * path reports to, and the {@link dev.uprobebench.registry.Backend} table.
 *
 * <p>Keys are {@code (inode, offset)} pairs of {@code long}s, ordered by inode, then offset, as
 * {@code uprobe_cmp()} orders them in {@code kernel/events/uprobes.c}.
 */
package dev.uprobebench.registry;
