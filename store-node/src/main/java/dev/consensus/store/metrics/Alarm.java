package dev.consensus.store.metrics;

/**
 * The alarms etcd raises that health checks report, named as etcd's {@code AlarmType} names
 * them (so {@code /health?exclude=NOSPACE} reads as it does against etcd).
 */
public enum Alarm {
    /** The backend passed its quota; writes are refused until space is freed. */
    NOSPACE,
    /** A corruption check found members disagreeing on their data. */
    CORRUPT
}
