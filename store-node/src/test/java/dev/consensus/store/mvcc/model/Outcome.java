package dev.consensus.store.mvcc.model;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.grpc.Status;

/**
 * What one operation answered, in the form an etcd client sees: a response message, or a gRPC
 * error with its code and description. The model, the store and the real etcd all answer in
 * this form, so the tests compare them with {@code equals}.
 */
public sealed interface Outcome {

    /** The operation succeeded with {@code response} (normalised before comparing). */
    record Ok(Message response) implements Outcome {
        @Override
        public String toString() {
            return response.getClass().getSimpleName() + " { " + TextFormat.shortDebugString(response) + " }";
        }
    }

    /** The operation failed; {@code message} is the gRPC status description, etcd's words. */
    record Failed(Status.Code code, String message) implements Outcome {
        @Override
        public String toString() {
            return code + ": " + message;
        }
    }
}
