/**
 * The address space a breakpoint address is resolved through before the registry is searched
 * (DESIGN.md section 7): VMAs in an RCU-safe tree, {@code mmap_lock} with its sequence count,
 * type-stable files, the two kernel ways of looking a VMA up ({@code mmap-lock}, 6.14's
 * {@code speculative}), and the checks that catch a stale or freed translation.
 *
 * <p>Memory-ordering conventions are those of {@link dev.uprobebench.sync}.
 */
package dev.uprobebench.mm;
