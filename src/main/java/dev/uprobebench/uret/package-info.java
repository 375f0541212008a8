/**
 * Return probes (DESIGN.md section 8): the entry hit pushes a return instance on the hitting
 * thread's own stack, the matching return fires later and releases what kept the uprobe alive. Three
 * lifetime designs, each a class citing its source: {@link dev.uprobebench.uret.RefcountLifetime},
 * {@link dev.uprobebench.uret.HprobeLifetime} and {@link dev.uprobebench.uret.SrcuUpdownLifetime};
 * {@link dev.uprobebench.uret.ReturnProbes} runs them, with the per-task timer that expires leases.
 */
package dev.uprobebench.uret;
