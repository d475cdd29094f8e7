/** JMH benchmarks; each compares our code with the physical limit or with etcd in the same run. */
package dev.consensus.bench;
