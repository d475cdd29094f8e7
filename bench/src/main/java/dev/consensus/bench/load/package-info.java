/**
 * The load generator: drives a server through the etcd v3 gRPC API (put, range, txn CAS, watch
 * delivery) with a fixed number of requests in flight, and reports throughput, latency
 * percentiles and errors by gRPC status. It knows nothing of the server behind the endpoints, so
 * the same run measures etcd and store-node.
 */
package dev.consensus.bench.load;
