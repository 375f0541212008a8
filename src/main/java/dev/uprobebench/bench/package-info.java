/**
 * JMH benchmarks and their states. Every benchmark says in its Javadoc what it measures and how
 * to run it; the invariant checks stay on in all of them.
 */
package dev.uprobebench.bench;
