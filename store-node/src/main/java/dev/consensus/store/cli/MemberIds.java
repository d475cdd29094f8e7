package dev.consensus.store.cli;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Member and cluster IDs derived from {@code --initial-cluster} and the cluster token, as etcd
 * derives them at bootstrap.
 *
 * <p>Why: clients, etcdctl and the operator identify members by these numbers; a cluster
 * bootstrapped with the same flags must get the same IDs from store-node as from etcd. Promises:
 * a member's ID is the first 8 bytes (big-endian) of SHA-1 over its peer URLs sorted and
 * concatenated, followed by the token; the cluster ID is the first 8 bytes of SHA-1 over the
 * member IDs sorted as unsigned numbers, each as 8 big-endian bytes. Only the bootstrap form is
 * here: members added at runtime also hash the time, and get their ID from the add request.
 */
public final class MemberIds {

    private MemberIds() {
    }

    /** The ID of a member with these peer URLs in a cluster bootstrapped with {@code token}. */
    public static long memberId(Collection<URI> peerUrls, String token) {
        List<String> sorted = new ArrayList<>(peerUrls.stream().map(URI::toString).toList());
        sorted.sort(null);
        return first8(sha1((String.join("", sorted) + token).getBytes(StandardCharsets.UTF_8)));
    }

    /** Every member's ID, by name, in the order of {@code initialCluster}. */
    public static Map<String, Long> memberIds(Map<String, List<URI>> initialCluster, String token) {
        Map<String, Long> ids = new LinkedHashMap<>();
        initialCluster.forEach((name, urls) -> ids.put(name, memberId(urls, token)));
        return ids;
    }

    /** The cluster ID of a cluster with these member IDs. */
    public static long clusterId(Collection<Long> memberIds) {
        List<Long> sorted = new ArrayList<>(memberIds);
        sorted.sort(Long::compareUnsigned);
        ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES * sorted.size());
        sorted.forEach(bytes::putLong);
        return first8(sha1(bytes.array()));
    }

    /** The cluster ID of the cluster {@code initialCluster} and {@code token} bootstrap. */
    public static long clusterId(Map<String, List<URI>> initialCluster, String token) {
        return clusterId(memberIds(initialCluster, token).values());
    }

    /** An ID as etcd prints it: lower-case hexadecimal, no leading zeros. */
    public static String hex(long id) {
        return Long.toHexString(id);
    }

    private static byte[] sha1(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-1", e);
        }
    }

    private static long first8(byte[] hash) {
        return ByteBuffer.wrap(hash, 0, Long.BYTES).getLong();
    }
}
