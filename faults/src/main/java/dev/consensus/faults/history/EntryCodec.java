package dev.consensus.faults.history;

import java.util.LinkedHashMap;
import java.util.Map;

/** Entries to and from the flat maps of a history file's lines. */
final class EntryCodec {

    private EntryCodec() {
    }

    static Map<String, Object> encode(Entry entry) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (entry) {
            case Operation op -> {
                m.put("type", "op");
                m.put("id", op.id());
                m.put("process", op.process());
                m.put("call", encodeCall(op.call()));
                m.put("callNanos", op.callNanos());
                m.put("returnNanos", op.returnNanos());
                m.put("outcome", encodeOutcome(op.outcome()));
            }
            case Fault f -> {
                m.put("type", "fault");
                m.put("kind", f.kind());
                m.put("target", f.target());
                m.put("atNanos", f.atNanos());
                m.put("detail", f.detail());
            }
            case WatchStart s -> {
                m.put("type", "watch-start");
                m.put("watcher", s.watcher());
                m.put("key", s.key());
                m.put("prefix", s.prefix());
                m.put("fromRevision", s.fromRevision());
                m.put("atNanos", s.atNanos());
            }
            case WatchEvent e -> {
                m.put("type", "watch-event");
                m.put("watcher", e.watcher());
                m.put("key", e.key());
                m.put("revision", e.revision());
                m.put("event", e.type().name());
                m.put("value", e.value());
                m.put("atNanos", e.atNanos());
            }
            case WatchProgress p -> {
                m.put("type", "watch-progress");
                m.put("watcher", p.watcher());
                m.put("revision", p.revision());
                m.put("atNanos", p.atNanos());
            }
        }
        return m;
    }

    static Entry decode(Map<String, Object> m) {
        Fields f = new Fields(m);
        String type = f.string("type");
        return switch (type) {
            case "op" -> new Operation(f.number("id"), f.string("process"), decodeCall(f.object("call")),
                    f.number("callNanos"), f.number("returnNanos"), decodeOutcome(f.object("outcome")));
            case "fault" -> new Fault(f.string("kind"), f.string("target"), f.number("atNanos"),
                    f.optionalString("detail"));
            case "watch-start" -> new WatchStart(f.string("watcher"), f.string("key"), f.bool("prefix"),
                    f.number("fromRevision"), f.number("atNanos"));
            case "watch-event" -> new WatchEvent(f.string("watcher"), f.string("key"), f.number("revision"),
                    f.enumValue("event", WatchEvent.Type.class), f.optionalString("value"), f.number("atNanos"));
            case "watch-progress" -> new WatchProgress(f.string("watcher"), f.number("revision"),
                    f.number("atNanos"));
            default -> throw new IllegalArgumentException("unknown entry type \"" + type + "\"");
        };
    }

    private static Map<String, Object> encodeCall(Call call) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", call.kind());
        switch (call) {
            case Call.Read r -> {
                m.put("key", r.key());
                m.put("mode", r.mode().name());
            }
            case Call.Write w -> {
                m.put("key", w.key());
                m.put("value", w.value());
                m.put("lease", w.leaseId());
            }
            case Call.Cas c -> {
                m.put("key", c.key());
                m.put("expected", c.expected());
                m.put("value", c.value());
            }
            case Call.Delete d -> m.put("key", d.key());
            case Call.LeaseGrant g -> {
                m.put("lease", g.leaseId());
                m.put("ttl", g.ttlSeconds());
            }
            case Call.LeaseRevoke r -> m.put("lease", r.leaseId());
            case Call.LeaseKeepAlive k -> m.put("lease", k.leaseId());
        }
        return m;
    }

    private static Call decodeCall(Fields f) {
        String kind = f.string("kind");
        return switch (kind) {
            case "read" -> new Call.Read(f.string("key"), f.enumValue("mode", Call.ReadMode.class));
            case "write" -> new Call.Write(f.string("key"), f.string("value"), f.optionalNumber("lease"));
            case "cas" -> new Call.Cas(f.string("key"), f.optionalString("expected"), f.string("value"));
            case "delete" -> new Call.Delete(f.string("key"));
            case "grant" -> new Call.LeaseGrant(f.optionalNumber("lease"), f.number("ttl"));
            case "revoke" -> new Call.LeaseRevoke(f.number("lease"));
            case "keepalive" -> new Call.LeaseKeepAlive(f.number("lease"));
            default -> throw new IllegalArgumentException("unknown operation kind \"" + kind + "\"");
        };
    }

    private static Map<String, Object> encodeOutcome(Outcome outcome) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (outcome) {
            case Outcome.Ok ok -> {
                m.put("status", "ok");
                m.put("value", ok.value());
                m.put("revision", ok.revision());
                m.put("modRevision", ok.modRevision());
                m.put("succeeded", ok.succeeded());
                m.put("lease", ok.leaseId());
                m.put("ttl", ok.ttlSeconds());
            }
            case Outcome.Fail fail -> {
                m.put("status", "fail");
                m.put("error", fail.error());
            }
            case Outcome.Indeterminate ind -> {
                m.put("status", "indeterminate");
                m.put("error", ind.error());
            }
        }
        return m;
    }

    private static Outcome decodeOutcome(Fields f) {
        String status = f.string("status");
        return switch (status) {
            case "ok" -> new Outcome.Ok(f.optionalString("value"), f.optionalNumber("revision"),
                    f.optionalNumber("modRevision"), f.optionalBool("succeeded", true),
                    f.optionalNumber("lease"), f.optionalNumber("ttl"));
            case "fail" -> new Outcome.Fail(f.string("error"));
            case "indeterminate" -> new Outcome.Indeterminate(f.string("error"));
            default -> throw new IllegalArgumentException("unknown outcome status \"" + status + "\"");
        };
    }

    /** Typed access to a line's fields, each failure naming the field. */
    private record Fields(Map<String, Object> m) {

        String string(String name) {
            if (!(m.get(name) instanceof String s)) {
                throw new IllegalArgumentException("field \"" + name + "\" must be a string");
            }
            return s;
        }

        String optionalString(String name) {
            Object v = m.get(name);
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException("field \"" + name + "\" must be a string or null");
            }
            return s;
        }

        long number(String name) {
            if (!(m.get(name) instanceof Long n)) {
                throw new IllegalArgumentException("field \"" + name + "\" must be an integer");
            }
            return n;
        }

        long optionalNumber(String name) {
            return m.get(name) == null ? 0 : number(name);
        }

        boolean bool(String name) {
            if (!(m.get(name) instanceof Boolean b)) {
                throw new IllegalArgumentException("field \"" + name + "\" must be true or false");
            }
            return b;
        }

        boolean optionalBool(String name, boolean absent) {
            return m.get(name) == null ? absent : bool(name);
        }

        <E extends Enum<E>> E enumValue(String name, Class<E> type) {
            String s = string(name);
            try {
                return Enum.valueOf(type, s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("field \"" + name + "\" has unknown value \"" + s + "\"");
            }
        }

        @SuppressWarnings("unchecked")
        Fields object(String name) {
            if (!(m.get(name) instanceof Map<?, ?> o)) {
                throw new IllegalArgumentException("field \"" + name + "\" must be an object");
            }
            return new Fields((Map<String, Object>) o);
        }
    }
}
