/**
 * The side-by-side cluster benchmark: starts a multi-member cluster of real processes on
 * 127.0.0.1 (etcd, then the other server with the same flags), runs the loads of
 * {@code dev.consensus.bench.load} against it, measures the failover window and each member's
 * memory, stops every process it started by its PID, and reports both sides as ratios.
 */
package dev.consensus.bench.cluster;
