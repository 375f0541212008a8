/**
 * The host kernel's own uprobes, reached through {@code java.lang.foreign} (DESIGN.md section 10):
 * the one package compiled for release 25, so that the rest of the harness stays loadable by the
 * Java 17 model checks. Nothing here models anything; it opens real perf events on the
 * {@code uprobe} PMU and calls real machine code in a file-backed mapping.
 *
 * <ul>
 *   <li>{@link dev.uprobebench.host.Libc}: the linker, errno capture and {@code close}, shared by
 *       the classes below;</li>
 *   <li>{@link dev.uprobebench.host.UprobePmu} and {@link dev.uprobebench.host.UprobeEvent}: the
 *       perf event (register = {@code perf_event_open}, unregister = {@code close});</li>
 *   <li>{@link dev.uprobebench.host.ProbeTargets}: the probe targets, tiny x86-64 functions
 *       written to a file at run time and mapped {@code MAP_PRIVATE}, {@code PROT_READ|PROT_EXEC};</li>
 *   <li>{@link dev.uprobebench.host.HostCapability}: whether all of this works here, and why not.</li>
 * </ul>
 *
 * <p>Conventions (STYLE.md, "Calls into the host kernel"): one class per kernel interface, its
 * {@code MethodHandle}s static finals looked up once; C structs as named {@code MemoryLayout}s
 * whose fields are reached by name; every native resource owned by one {@code AutoCloseable}
 * scoped by an {@code Arena}; errno captured with {@code captureCallState} and raised as a
 * {@link dev.uprobebench.host.HostCallException} that names the call, its arguments and
 * {@code strerror}. JVMs that run this code need {@code --enable-native-access=ALL-UNNAMED}.
 */
package dev.uprobebench.host;
