/**
 * One class per back-end, named as in DESIGN.md. Each is built only from the primitives in
 * {@code dev.uprobebench.sync} and the types in {@code dev.uprobebench.registry}, and each class
 * header names the kernel design it models.
 */
package dev.uprobebench.registry.backend;
