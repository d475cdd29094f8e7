package dev.consensus.store.server;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.consensus.api.etcdserverpb.AlarmRequest;
import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.TxnRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A proposed entry's bytes: one kind byte, the proposer's request id (so the proposing member can
 * answer its waiting client when the entry applies), then the request. Every member decodes the
 * same request from the same bytes; an entry this version cannot read stops the apply loud.
 */
public final class ServerRequestCodec {

    private static final byte PUT = 1;
    private static final byte DELETE_RANGE = 2;
    private static final byte TXN = 3;
    private static final byte COMPACT = 4;
    private static final byte LEASE_GRANT = 5;
    private static final byte LEASE_REVOKE = 6;
    private static final byte ALARM = 7;
    private static final byte PUBLISH = 8;
    private static final byte UPDATE_PEER_URLS = 9;

    private static final int HEADER = 9;

    private ServerRequestCodec() {}

    /** A decoded entry: who is waiting for it and what it asks. */
    public record Decoded(long requestId, ServerRequest request) {}

    public static byte[] encode(long requestId, ServerRequest request) {
        byte kind;
        byte[] body;
        switch (request) {
            case ServerRequest.Put p -> { kind = PUT; body = p.request().toByteArray(); }
            case ServerRequest.DeleteRange d -> { kind = DELETE_RANGE; body = d.request().toByteArray(); }
            case ServerRequest.Txn t -> { kind = TXN; body = t.request().toByteArray(); }
            case ServerRequest.Compact c -> { kind = COMPACT; body = c.request().toByteArray(); }
            case ServerRequest.LeaseGrant g -> { kind = LEASE_GRANT; body = g.request().toByteArray(); }
            case ServerRequest.LeaseRevoke r -> { kind = LEASE_REVOKE; body = r.request().toByteArray(); }
            case ServerRequest.Alarm a -> { kind = ALARM; body = a.request().toByteArray(); }
            case ServerRequest.PublishAttributes p -> {
                kind = PUBLISH;
                body = attributes(p.memberId(), p.name(), p.clientUrls());
            }
            case ServerRequest.UpdatePeerUrls u -> {
                kind = UPDATE_PEER_URLS;
                body = attributes(u.memberId(), "", u.peerUrls());
            }
        }
        return ByteBuffer.allocate(HEADER + body.length).put(kind).putLong(requestId).put(body).array();
    }

    public static Decoded decode(byte[] data) {
        if (data.length < HEADER) {
            throw new IllegalArgumentException("malformed proposal of " + data.length + " bytes");
        }
        ByteBuffer header = ByteBuffer.wrap(data, 0, HEADER);
        byte kind = header.get();
        long requestId = header.getLong();
        byte[] body = Arrays.copyOfRange(data, HEADER, data.length);
        try {
            ServerRequest request = switch (kind) {
                case PUT -> new ServerRequest.Put(PutRequest.parseFrom(body));
                case DELETE_RANGE -> new ServerRequest.DeleteRange(DeleteRangeRequest.parseFrom(body));
                case TXN -> new ServerRequest.Txn(TxnRequest.parseFrom(body));
                case COMPACT -> new ServerRequest.Compact(CompactionRequest.parseFrom(body));
                case LEASE_GRANT -> new ServerRequest.LeaseGrant(LeaseGrantRequest.parseFrom(body));
                case LEASE_REVOKE -> new ServerRequest.LeaseRevoke(LeaseRevokeRequest.parseFrom(body));
                case ALARM -> new ServerRequest.Alarm(AlarmRequest.parseFrom(body));
                case PUBLISH -> {
                    Attributes a = readAttributes(body);
                    yield new ServerRequest.PublishAttributes(a.memberId, a.name, a.urls);
                }
                case UPDATE_PEER_URLS -> {
                    Attributes a = readAttributes(body);
                    yield new ServerRequest.UpdatePeerUrls(a.memberId, a.urls);
                }
                default -> throw new IllegalArgumentException("proposal of unknown kind " + kind);
            };
            return new Decoded(requestId, request);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed proposal of kind " + kind + ": " + e.getMessage(), e);
        }
    }

    private record Attributes(long memberId, String name, List<URI> urls) {}

    private static byte[] attributes(long memberId, String name, List<URI> urls) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(memberId);
            out.writeUTF(name);
            out.writeInt(urls.size());
            for (URI u : urls) {
                out.writeUTF(u.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Attributes readAttributes(byte[] body) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            long id = in.readLong();
            String name = in.readUTF();
            List<URI> urls = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                urls.add(URI.create(in.readUTF()));
            }
            return new Attributes(id, name, urls);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed member attributes", e);
        }
    }
}
