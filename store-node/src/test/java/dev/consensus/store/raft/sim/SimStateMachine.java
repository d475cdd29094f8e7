package dev.consensus.store.raft.sim;

import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.EntryType;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.confchange.InvalidConfChangeException;
import dev.consensus.store.raft.confchange.MembershipChange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The simulated application: a digest chained over every applied entry (so two replicas agree
 * on their whole history exactly when their digests at an index agree), the write ids applied,
 * and the membership, tracked as the core tracks it. Not durable: a restarted node rebuilds it
 * from its snapshot and the log, as etcd's raft example does.
 */
public final class SimStateMachine {

    private long appliedIndex;
    private long digest;
    private ConfState conf;
    private final Set<Long> writes;

    private SimStateMachine(long appliedIndex, long digest, ConfState conf, Set<Long> writes) {
        this.appliedIndex = appliedIndex;
        this.digest = digest;
        this.conf = conf;
        this.writes = writes;
    }

    public static SimStateMachine fromSnapshot(Snapshot snapshot) {
        if (snapshot.data().length == 0) {
            return new SimStateMachine(snapshot.index(), 0, snapshot.metadata().confState(), new HashSet<>());
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot.data()))) {
            long index = in.readLong();
            long digest = in.readLong();
            Set<Long> voters = readIds(in);
            Set<Long> learners = readIds(in);
            Set<Long> writes = new HashSet<>(readIds(in));
            if (index != snapshot.index()) {
                throw new IllegalStateException("snapshot data at " + index + " under metadata at " + snapshot.index());
            }
            return new SimStateMachine(index, digest, new ConfState(voters, learners), writes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(appliedIndex);
            out.writeLong(digest);
            writeIds(out, conf.voters());
            writeIds(out, conf.learners());
            writeIds(out, new TreeSet<>(writes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Applies the next entry; a gap or repeat is a bug in whoever released it. */
    public void apply(Entry e) {
        if (e.index() != appliedIndex + 1) {
            throw new SimulationFailure("AppliedInOrder",
                    "entry " + e.index() + " released after applied index " + appliedIndex);
        }
        appliedIndex = e.index();
        digest = mix(digest, e.index(), e.term(), e.type().ordinal(), Arrays.hashCode(e.data()));
        if (e.type() == EntryType.NORMAL && e.data().length >= 8) {
            writes.add(ByteBuffer.wrap(e.data()).getLong());
        } else if (e.type() == EntryType.CONF_CHANGE) {
            try {
                conf = MembershipChange.apply(conf, ConfChange.decode(e.data()));
            } catch (InvalidConfChangeException ignored) {
                // The core skips it the same way; both stay on the same membership.
            }
        }
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    public long digest() {
        return digest;
    }

    public ConfState conf() {
        return conf;
    }

    public boolean hasApplied(long writeId) {
        return writes.contains(writeId);
    }

    private static long mix(long h, long... values) {
        for (long v : values) {
            h ^= v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2);
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    private static void writeIds(DataOutputStream out, Set<Long> ids) throws IOException {
        out.writeInt(ids.size());
        for (long id : ids) {
            out.writeLong(id);
        }
    }

    private static Set<Long> readIds(DataInputStream in) throws IOException {
        int n = in.readInt();
        Set<Long> ids = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            ids.add(in.readLong());
        }
        return ids;
    }
}
