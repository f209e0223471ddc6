package org.exportcontrol.platform.grpc;

import java.time.Instant;

import com.google.protobuf.Timestamp;

/** Conversions between {@code google.protobuf.Timestamp} and {@link Instant} (always UTC). */
public final class Timestamps {

    private Timestamps() {
    }

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
