package dev.consensus.store.cluster;

import java.util.HashSet;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated facts about the cluster that are not keys: its members with their names and
 * URLs, the ids removed for good, and the raised alarms. Immutable; each applied change yields a
 * new value, so readers on any thread see one consistent picture.
 */
public record ClusterState(Map<Long, Member> members, Set<Long> removed, Set<Alarm> alarms) {

    public static final ClusterState EMPTY = new ClusterState(Map.of(), Set.of(), Set.of());

    public ClusterState {
        TreeMap<Long, Member> sortedMembers = new TreeMap<>(Long::compareUnsigned);
        sortedMembers.putAll(members);
        members = Collections.unmodifiableMap(sortedMembers);
        TreeSet<Long> sortedRemoved = new TreeSet<>(Long::compareUnsigned);
        sortedRemoved.addAll(removed);
        removed = Collections.unmodifiableSet(sortedRemoved);
        alarms = Set.copyOf(alarms);
    }

    public static ClusterState of(Collection<Member> members, Collection<Long> removed, Collection<Alarm> alarms) {
        Map<Long, Member> byId = new TreeMap<>(Long::compareUnsigned);
        members.forEach(m -> byId.put(m.id(), m));
        return new ClusterState(byId, Set.copyOf(removed), Set.copyOf(alarms));
    }

    public Optional<Member> member(long id) {
        return Optional.ofNullable(members.get(id));
    }

    public List<Member> memberList() {
        return List.copyOf(members.values());
    }

    public long learnerCount() {
        return members.values().stream().filter(Member::learner).count();
    }

    public boolean isRemoved(long id) {
        return removed.contains(id);
    }

    public ClusterState withMember(Member member) {
        Map<Long, Member> next = new TreeMap<>(members);
        next.put(member.id(), member);
        return new ClusterState(next, removed, alarms);
    }

    public ClusterState withoutMember(long id) {
        Map<Long, Member> next = new TreeMap<>(members);
        next.remove(id);
        Set<Long> gone = new TreeSet<>(removed);
        gone.add(id);
        Set<Alarm> keptAlarms = new HashSet<>(alarms);
        keptAlarms.removeIf(a -> a.memberId() == id);
        return new ClusterState(next, gone, keptAlarms);
    }

    public ClusterState withAlarm(Alarm alarm) {
        Set<Alarm> next = new HashSet<>(alarms);
        next.add(alarm);
        return new ClusterState(members, removed, next);
    }

    public ClusterState withoutAlarm(Alarm alarm) {
        Set<Alarm> next = new HashSet<>(alarms);
        next.remove(alarm);
        return new ClusterState(members, removed, next);
    }

    public boolean hasAlarm(Alarm.Type type) {
        return alarms.stream().anyMatch(a -> a.type() == type);
    }
}
