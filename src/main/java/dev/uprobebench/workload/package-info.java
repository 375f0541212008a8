/**
 * The workload, written once: the registry with its stable set, address space and return probes
 * ({@link dev.uprobebench.workload.Scene}), a reader's hit loop ({@link dev.uprobebench.workload.HitReader}),
 * the churn writer ({@link dev.uprobebench.workload.ChurnWriter}), the address-space writer
 * ({@link dev.uprobebench.workload.MmChurner}), the key sequence and the pacer. The JMH benchmark
 * ({@code bench.ChurnBenchmark}) and the torture driver ({@code check.TortureDriver}) both drive
 * these, so what is measured is what is checked.
 */
package dev.uprobebench.workload;
