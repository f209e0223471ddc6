package org.exportcontrol.platform.grpc;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;

/**
 * Two things no field of any request may carry, checked once for every unary request before the
 * service sees it: a NUL character in a string (PostgreSQL text cannot store it, so it would fail
 * deep inside a write) and a {@code google.protobuf.Timestamp} outside the range the format
 * defines (0001-01-01 to 9999-12-31, nanos 0-999,999,999), which would overflow date arithmetic.
 */
public final class RequestSanity {

    /** Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (google/protobuf/timestamp.proto). */
    static final long MIN_SECONDS = -62_135_596_800L;
    static final long MAX_SECONDS = 253_402_300_799L;

    private RequestSanity() {
    }

    /** The path and problem of the first offending field, if any (e.g. {@code entry.name}). */
    public static Optional<String[]> firstViolation(Message message) {
        return check(message, "");
    }

    private static Optional<String[]> check(Message message, String prefix) {
        if (message instanceof Timestamp t) {
            if (t.getSeconds() < MIN_SECONDS || t.getSeconds() > MAX_SECONDS || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
                return Optional.of(new String[] { prefix.isEmpty() ? "timestamp" : prefix,
                        "must be a time between 0001-01-01 and 9999-12-31" });
            }
            return Optional.empty();
        }
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            String path = prefix.isEmpty() ? field.getName() : prefix + "." + field.getName();
            List<?> values = field.isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
            for (int i = 0; i < values.size(); i++) {
                Object value = values.get(i);
                String at = field.isRepeated() && !field.isMapField() ? path + "[" + i + "]" : path;
                if (value instanceof String s && s.indexOf('\u0000') >= 0) {
                    return Optional.of(new String[] { at, "must not contain a NUL character" });
                }
                if (value instanceof Message m) {
                    Optional<String[]> inner = check(m, at);
                    if (inner.isPresent()) {
                        return inner;
                    }
                }
            }
        }
        return Optional.empty();
    }
}
