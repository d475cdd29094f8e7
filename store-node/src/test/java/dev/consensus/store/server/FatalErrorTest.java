package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

class FatalErrorTest {

    /** A real ENOSPC: Linux's /dev/full fails every write with it, as a full data disk does. */
    @Test
    void aRealFullDeviceIsRecognisedThroughWrappingExceptions() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "no /dev/full here");
        Throwable enospc = catchThrowable(() -> {
            try (FileChannel ch = FileChannel.open(full, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[4096]));
                ch.force(true);
            }
        });
        assertThat(enospc).isInstanceOf(IOException.class);
        Throwable wrapped = new IllegalStateException("apply failed", new UncheckedIOException((IOException) enospc));

        FatalError fatal = FatalError.of(wrapped);

        assertThat(fatal.diskFull()).isTrue();
        assertThat(fatal.describe("8e9e05c52164694d", Path.of("/var/lib/etcd")))
                .contains("member 8e9e05c52164694d stopped: the data disk is full")
                .contains("Free space under /var/lib/etcd and start the member again");
    }

    /** RocksDB reports ENOSPC as its NoSpace status, with the OS's words in the message. */
    @Test
    void rocksDbsNoSpaceStatusIsRecognised() {
        Throwable rocks = new RuntimeException(new Exception(
                "IO error: No space left on device: While appending to file: /data/kv/000012.log"));
        assertThat(FatalError.of(rocks).diskFull()).isTrue();
    }

    /** disk-full seed 11: RocksDB's open, replaying its log into a table file, met the full disk at start-up. */
    @Test
    void aStartOnAFullDiskGetsOneLineAndOtherStartFailuresNone() {
        Throwable open = new IllegalStateException("cannot open the MVCC database in /d/member/kv",
                new Exception("While appending to file: /d/member/kv/000028.sst: No space left on device"));

        assertThat(FatalError.startFailure(open, "m1", Path.of("/d")))
                .hasValueSatisfying(line -> assertThat(line)
                        .startsWith("cannot start member m1: the data disk is full (")
                        .contains("Free space under /d and start the member again"));
        assertThat(FatalError.startFailure(new IllegalStateException("corrupt"), "m1", Path.of("/d"))).isEmpty();
    }

    @Test
    void otherFatalErrorsAreNotCalledAFullDisk() {
        FatalError fatal = FatalError.of(new IllegalStateException("corrupt WAL record at offset 4096"));
        assertThat(fatal.diskFull()).isFalse();
        assertThat(fatal.describe("1", Path.of("/d")))
                .isEqualTo("member 1 stopped on a fatal error: java.lang.IllegalStateException: corrupt WAL record"
                        + " at offset 4096");
    }

    @Test
    void aSelfCausedExceptionDoesNotLoop() {
        Throwable t = new Throwable("x") {
            @Override
            public synchronized Throwable getCause() {
                return this;
            }
        };
        assertThat(FatalError.isDiskFull(t)).isFalse();
    }
}
