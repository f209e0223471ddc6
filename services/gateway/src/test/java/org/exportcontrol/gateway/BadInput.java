package org.exportcontrol.gateway;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;

/**
 * A seeded generator of malformed and mutated requests, built from the request's protobuf
 * descriptor: hostile strings, extreme numbers, unknown enum numbers, impossible dates, unknown
 * fields, oversized strings, huge repeated fields, broken wire bytes; and for the REST API broken
 * JSON, wrong JSON types, unknown fields and bad ids. The same seed gives the same cases. Nearly
 * every case is invalid (the generator never fills every required field with a consistent value).
 */
final class BadInput {

    /** What a case is, for the figures. */
    enum Kind {
        RANDOM_FIELDS, VALID_REQUEST_ID, BROKEN_WIRE, GARBAGE_BYTES, UNKNOWN_FIELDS, HUGE_REPEATED, OVERSIZED_STRING,
        INVALID_ENUMS, BAD_DATES, MALFORMED_JSON, WRONG_JSON_TYPES, UNKNOWN_JSON_FIELDS, BAD_IDS
    }

    record GrpcCase(Kind kind, byte[] bytes, String requestId) {
    }

    record RestCase(Kind kind, String body, String pathValue, String idempotencyKey) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HOSTILE = List.of("", " ", "\u0000", "\t\n", "' OR '1'='1", "'; DROP TABLE audit_entry; --",
            "../../../../etc/passwd", "%s%s%n", "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>",
            "\u202Eevil", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "稀土出口", "360000", "999999", "national", "NATIONAL", "-1", "0", "1e309", "NaN", "Infinity",
            "-0.0", "0.00000000000000000000000001", "99999999999999999999999999999999999999", "2026-13-45", "2026-02-30",
            "9999-12-31T23:59:60Z", "0000-00-00", "APP-2026-000001", "91360700MA0DEM013P", "91360700MA0DEM013X", "ZZ", "CNY",
            "QUANTITY_UNIT_KILOGRAM", "http://127.0.0.1:1/hook", "mailto:x@y", "null", "true", "{}", "[]");

    private final SplittableRandom random;
    /** One huge repeated field and one oversized string per case at most (they are big enough alone). */
    private boolean hugeUsed;
    private boolean oversizedUsed;
    /** Sizes: gRPC up to 10,000 elements and 1,000,000 characters; JSON bodies a fifth of that. */
    private int maxHuge;
    private int maxString;

    BadInput(long seed) {
        this.random = new SplittableRandom(seed);
    }

    // ---------------------------------------------------------------- gRPC

    GrpcCase grpc(Descriptor request) {
        hugeUsed = false;
        oversizedUsed = false;
        maxHuge = 10_000;
        maxString = 1_000_000;
        Kind kind = List.of(Kind.RANDOM_FIELDS, Kind.VALID_REQUEST_ID, Kind.VALID_REQUEST_ID, Kind.BROKEN_WIRE, Kind.GARBAGE_BYTES,
                Kind.UNKNOWN_FIELDS, Kind.HUGE_REPEATED, Kind.OVERSIZED_STRING, Kind.INVALID_ENUMS, Kind.BAD_DATES)
                .get(random.nextInt(10));
        String requestId = random.nextInt(4) == 0 ? hostile() : UUID.randomUUID().toString();
        DynamicMessage message = message(request, 0, kind, requestId);
        byte[] bytes = switch (kind) {
            case BROKEN_WIRE -> broken(message.toByteArray());
            case GARBAGE_BYTES -> bytes(random.nextInt(1, 200));
            case UNKNOWN_FIELDS -> message.toBuilder().setUnknownFields(unknownFields()).build().toByteArray();
            default -> message.toByteArray();
        };
        return new GrpcCase(kind, bytes, requestId);
    }

    private DynamicMessage message(Descriptor type, int depth, Kind kind, String requestId) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        if (type.getFullName().equals("google.protobuf.Timestamp")) {
            return b.setField(type.findFieldByName("seconds"), pick(Long.MAX_VALUE, Long.MIN_VALUE, -62135596801L, 253402300800L, 0L,
                    random.nextLong())).setField(type.findFieldByName("nanos"), pick(-1, 1_000_000_000, Integer.MAX_VALUE, 0)).build();
        }
        if (type.getFullName().equals("google.type.Date")) {
            return b.setField(type.findFieldByName("year"), pick(0, -1, 10000, 2026, Integer.MAX_VALUE))
                    .setField(type.findFieldByName("month"), pick(0, 13, -1, 2, Integer.MIN_VALUE))
                    .setField(type.findFieldByName("day"), pick(0, 32, 30, -5)).build();
        }
        for (FieldDescriptor f : type.getFields()) {
            if (f.getName().equals("request_id") && depth == 0) {
                b.setField(f, requestId);
                continue;
            }
            boolean forced = (kind == Kind.INVALID_ENUMS && f.getJavaType() == FieldDescriptor.JavaType.ENUM)
                    || (kind == Kind.BAD_DATES && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE);
            if (!forced && random.nextInt(3) == 0) {
                continue;
            }
            if (f.isRepeated()) {
                int n = random.nextInt(4);
                if (kind == Kind.HUGE_REPEATED && !hugeUsed) {
                    n = random.nextInt(1_000, maxHuge);
                    hugeUsed = true;
                }
                for (int i = 0; i < n; i++) {
                    b.addRepeatedField(f, value(f, depth, kind, n > 100));
                }
            } else {
                b.setField(f, value(f, depth, kind, false));
            }
        }
        return b.build();
    }

    private Object value(FieldDescriptor f, int depth, Kind kind, boolean small) {
        return switch (f.getJavaType()) {
            case STRING -> kind == Kind.OVERSIZED_STRING && !small && !oversizedUsed && (oversizedUsed = true)
                    ? "x".repeat(random.nextInt(5_000, maxString)) : small ? "r" + random.nextInt(1000) : hostile();
            case INT -> pick(0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, random.nextInt());
            case LONG -> pick(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong());
            case FLOAT -> pick(Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MAX_VALUE, (float) random.nextDouble());
            case DOUBLE -> pick(Double.NaN, Double.NEGATIVE_INFINITY, -0d, Double.MIN_VALUE, random.nextDouble() * 1e12);
            case BOOLEAN -> random.nextBoolean();
            case BYTE_STRING -> ByteString.copyFrom(bytes(random.nextInt(64)));
            case ENUM -> enumValue(f, kind == Kind.INVALID_ENUMS || random.nextInt(3) == 0);
            case MESSAGE -> depth < 3 ? message(f.getMessageType(), depth + 1, kind, UUID.randomUUID().toString())
                    : DynamicMessage.getDefaultInstance(f.getMessageType());
        };
    }

    private EnumValueDescriptor enumValue(FieldDescriptor f, boolean unknown) {
        if (unknown) {
            return f.getEnumType().findValueByNumberCreatingIfUnknown(pick(-1, 9999, Integer.MAX_VALUE, 42));
        }
        List<EnumValueDescriptor> values = f.getEnumType().getValues();
        return values.get(random.nextInt(values.size()));
    }

    private UnknownFieldSet unknownFields() {
        UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder();
        for (int i = 0; i < 1 + random.nextInt(5); i++) {
            int number = random.nextInt(100, 536_870_911);
            UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder();
            switch (random.nextInt(3)) {
                case 0 -> field.addVarint(random.nextLong());
                case 1 -> field.addLengthDelimited(ByteString.copyFrom(bytes(random.nextInt(100))));
                default -> field.addFixed64(random.nextLong());
            }
            b.addField(number, field.build());
        }
        return b.build();
    }

    private byte[] broken(byte[] wire) {
        if (wire.length == 0) {
            return new byte[] { (byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x0f };
        }
        byte[] out = wire.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                return java.util.Arrays.copyOf(out, random.nextInt(out.length)); // truncated
            }
            case 1 -> {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return out;
            }
            default -> {
                byte[] longer = java.util.Arrays.copyOf(out, out.length + 6);
                // a length-delimited field claiming far more bytes than follow
                longer[out.length] = (byte) 0x12;
                longer[out.length + 1] = (byte) 0xff;
                longer[out.length + 2] = (byte) 0xff;
                longer[out.length + 3] = (byte) 0xff;
                longer[out.length + 4] = (byte) 0x7f;
                longer[out.length + 5] = 1;
                return longer;
            }
        }
    }

    // ---------------------------------------------------------------- REST

    /** A body for an endpoint whose request is {@code request} (null: a plain JSON object, fields {@code names}). */
    RestCase rest(Descriptor request, List<String> names) {
        hugeUsed = false;
        oversizedUsed = false;
        maxHuge = 2_000;
        maxString = 200_000;
        Kind kind = List.of(Kind.MALFORMED_JSON, Kind.WRONG_JSON_TYPES, Kind.UNKNOWN_JSON_FIELDS, Kind.OVERSIZED_STRING,
                Kind.HUGE_REPEATED, Kind.INVALID_ENUMS, Kind.BAD_IDS, Kind.BAD_DATES, Kind.RANDOM_FIELDS).get(random.nextInt(9));
        ObjectNode body = base(request, names, kind);
        String text = body.toString();
        switch (kind) {
            case MALFORMED_JSON -> text = malformed(text);
            case WRONG_JSON_TYPES -> text = wrongTypes(body).toString();
            case UNKNOWN_JSON_FIELDS -> {
                body.put("zz_" + random.nextInt(1000), hostile());
                body.set("__proto__", JsonNodeFactory.instance.objectNode().put("admin", true));
                text = body.toString();
            }
            default -> {
            }
        }
        String pathValue = kind == Kind.BAD_IDS || random.nextInt(4) == 0 ? badId() : "FUZZ-" + random.nextInt(1000);
        String key = random.nextInt(8) == 0 ? badKey() : UUID.randomUUID().toString();
        return new RestCase(kind, text, pathValue, key);
    }

    private ObjectNode base(Descriptor request, List<String> names, Kind kind) {
        if (request == null) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                if (random.nextInt(3) > 0) {
                    o.put(name, kind == Kind.OVERSIZED_STRING && !oversizedUsed && (oversizedUsed = true)
                            ? "x".repeat(random.nextInt(5_000, 200_000)) : hostile());
                }
            }
            return o;
        }
        DynamicMessage message = message(request, 0, kind == Kind.BAD_DATES || kind == Kind.INVALID_ENUMS
                || kind == Kind.HUGE_REPEATED || kind == Kind.OVERSIZED_STRING ? kind : Kind.RANDOM_FIELDS,
                UUID.randomUUID().toString());
        try {
            JsonNode node = JSON.readTree(JsonFormat.printer().print(message));
            return node instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        } catch (Exception e) {
            // a message the canonical mapping cannot print (an impossible timestamp): send it by hand
            return JsonNodeFactory.instance.objectNode().put("effectiveFrom", "2026-13-45T99:99:99Z")
                    .put("dueAt", "yesterday").put("occurredAt", "10000-01-01T00:00:00Z");
        }
    }

    private String malformed(String json) {
        return switch (random.nextInt(7)) {
            case 0 -> json.substring(0, random.nextInt(Math.max(1, json.length())));
            case 1 -> "[".repeat(random.nextInt(1_000, 20_000));
            case 2 -> "{\"a\":".repeat(random.nextInt(1_000, 10_000));
            case 3 -> new String(bytes(random.nextInt(1, 300)), java.nio.charset.StandardCharsets.ISO_8859_1);
            case 4 -> pick("null", "\"a string\"", "12", "true", "[]", "{", "}", "{\"a\":1,}", "{'a':1}", "{\"a\":NaN}");
            case 5 -> json.replaceFirst("\"", "");
            default -> json + "{}";
        };
    }

    private JsonNode wrongTypes(ObjectNode body) {
        ObjectNode out = body.deepCopy();
        List<String> fields = new java.util.ArrayList<>();
        out.fieldNames().forEachRemaining(fields::add);
        if (fields.isEmpty()) {
            fields.add(pick("id", "requestId", "reasons", "decision", "pageSize"));
        }
        for (String f : fields) {
            if (random.nextInt(2) == 0) {
                continue;
            }
            JsonNodeFactory n = JsonNodeFactory.instance;
            out.set(f, switch (random.nextInt(7)) {
                case 0 -> n.numberNode(random.nextLong());
                case 1 -> n.booleanNode(true);
                case 2 -> n.arrayNode().add(1).add("two");
                case 3 -> n.objectNode().put("nested", hostile());
                case 4 -> n.numberNode(new java.math.BigDecimal("1e400"));
                case 5 -> n.nullNode();
                default -> n.textNode(hostile());
            });
        }
        ArrayNode extra = JsonNodeFactory.instance.arrayNode();
        extra.add(hostile());
        out.set(fields.get(0), extra);
        return out;
    }

    private String badId() {
        return pick("..", "%2e%2e", "x".repeat(5_000), "' OR 1=1 --", "%00", "稀土", "-1", " ", "a b", "%25", "~!@$^*()");
    }

    private String badKey() {
        return pick("", " ", "x".repeat(10_000), "not-a-uuid", "00000000-0000-0000-0000-000000000000", "a;b,c=d");
    }

    // ---------------------------------------------------------------- helpers

    private String hostile() {
        if (random.nextInt(4) == 0) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                s.append((char) random.nextInt(32, 0x2FFF));
            }
            return s.toString();
        }
        return HOSTILE.get(random.nextInt(HOSTILE.size()));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
