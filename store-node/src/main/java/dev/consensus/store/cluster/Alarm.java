package dev.consensus.store.cluster;

/** An alarm raised by one member, as etcd's AlarmMember: it stays until someone disarms it. */
public record Alarm(long memberId, Type type) {

    /** The alarm kinds, numbered as etcd's AlarmType. */
    public enum Type {
        NONE,
        NOSPACE,
        CORRUPT
    }
}
