/**
 * Running a profile: the profile parsed once ({@link dev.uprobebench.run.Profile}), the plan that
 * carries every fork's JMH options, the rounds and the seed ({@link dev.uprobebench.run.RunPlan}),
 * the round loop through JMH's API with interrupt salvage ({@link dev.uprobebench.run.BenchRun}),
 * async-profiler attachment, the machine's description and its fitness check
 * ({@link dev.uprobebench.run.Doctor}). Knows nothing of the command line.
 */
package dev.uprobebench.run;
