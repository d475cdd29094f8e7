package dev.consensus.store.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Which member of which cluster this data directory belongs to, written once when the member is
 * created (temp file, fsync, rename) and checked on every start, so a data directory is never
 * started as somebody else.
 */
public record MemberIdentity(long clusterId, long memberId) {

    static final String FILE = "identity";

    public static Optional<MemberIdentity> read(Path memberDir) throws IOException {
        Path file = memberDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        String[] parts = text.split("\\s+");
        if (parts.length != 2 || !parts[0].startsWith("cluster=") || !parts[1].startsWith("member=")) {
            throw new IOException("unreadable member identity in " + file + ": " + text);
        }
        return Optional.of(new MemberIdentity(HexFormat.fromHexDigitsToLong(parts[0].substring(8)),
                HexFormat.fromHexDigitsToLong(parts[1].substring(7))));
    }

    public void write(Path memberDir) throws IOException {
        Files.createDirectories(memberDir);
        Path tmp = memberDir.resolve(FILE + ".tmp");
        String text = "cluster=" + HexFormat.of().toHexDigits(clusterId) + " member="
                + HexFormat.of().toHexDigits(memberId) + "\n";
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, memberDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(memberDir, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
