package dev.consensus.store.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of members and of the whole {@link ClusterState}. Every member applies the same
 * bytes, so the format is fixed and versioned rather than left to a serializer's defaults.
 */
public final class MemberCodec {

    private static final int VERSION = 1;

    private MemberCodec() {}

    public static byte[] encode(Member member) {
        return write(out -> writeMember(out, member));
    }

    public static Member decodeMember(byte[] data) {
        return read(data, MemberCodec::readMember);
    }

    public static byte[] encode(ClusterState state) {
        return write(out -> {
            out.writeInt(state.members().size());
            for (Member m : state.members().values()) {
                writeMember(out, m);
            }
            out.writeInt(state.removed().size());
            for (long id : state.removed()) {
                out.writeLong(id);
            }
            out.writeInt(state.alarms().size());
            for (Alarm a : state.alarms()) {
                out.writeLong(a.memberId());
                out.writeUTF(a.type().name());
            }
        });
    }

    public static ClusterState decodeState(byte[] data) {
        if (data == null || data.length == 0) {
            return ClusterState.EMPTY;
        }
        return read(data, in -> {
            List<Member> members = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                members.add(readMember(in));
            }
            List<Long> removed = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                removed.add(in.readLong());
            }
            List<Alarm> alarms = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                alarms.add(new Alarm(in.readLong(), Alarm.Type.valueOf(in.readUTF())));
            }
            return ClusterState.of(members, removed, alarms);
        });
    }

    private static void writeMember(DataOutputStream out, Member m) throws IOException {
        out.writeLong(m.id());
        out.writeUTF(m.name());
        writeUrls(out, m.peerUrls());
        writeUrls(out, m.clientUrls());
        out.writeBoolean(m.learner());
    }

    private static Member readMember(DataInputStream in) throws IOException {
        return new Member(in.readLong(), in.readUTF(), readUrls(in), readUrls(in), in.readBoolean());
    }

    private static void writeUrls(DataOutputStream out, List<URI> urls) throws IOException {
        out.writeInt(urls.size());
        for (URI u : urls) {
            out.writeUTF(u.toString());
        }
    }

    private static List<URI> readUrls(DataInputStream in) throws IOException {
        List<URI> urls = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            urls.add(URI.create(in.readUTF()));
        }
        return urls;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] data, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("membership data of unknown format version " + version);
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed membership data of " + data.length + " bytes", e);
        }
    }
}
