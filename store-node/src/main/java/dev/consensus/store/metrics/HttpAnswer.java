package dev.consensus.store.metrics;

/**
 * One HTTP response of the metrics listener: status, content type and body.
 *
 * @param allow the methods to name in an {@code Allow} header (405 answers only), else null
 */
record HttpAnswer(int status, String contentType, String body, String allow) {

    /** Go's {@code http.Error} and etcd's plain answers use this type. */
    static final String PLAIN = "text/plain; charset=utf-8";

    static HttpAnswer ok(String contentType, String body) {
        return new HttpAnswer(200, contentType, body, null);
    }

    /** An error as Go's {@code http.Error} writes it: the message and a newline. */
    static HttpAnswer error(int status, String message) {
        return new HttpAnswer(status, PLAIN, message + "\n", null);
    }

    static HttpAnswer notFound() {
        return error(404, "404 page not found");
    }

    static HttpAnswer methodNotAllowed(String allow) {
        return new HttpAnswer(405, PLAIN, "Method Not Allowed\n", allow);
    }
}
