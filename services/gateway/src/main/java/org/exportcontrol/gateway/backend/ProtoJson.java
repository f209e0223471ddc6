package org.exportcontrol.gateway.backend;

import java.util.Map;

import org.exportcontrol.platform.error.ApiErrors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * The REST/JSON API speaks the platform's gRPC messages in the canonical proto3 JSON mapping
 * (lowerCamelCase names, enums by name, timestamps in RFC 3339 UTC), so there is one contract, the
 * {@code .proto} files, and no second set of DTOs to drift from it.
 */
public final class ProtoJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();
    /** Unknown fields are refused: a misspelt field must not be silently dropped. */
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProtoJson() {
    }

    public static String json(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }

    /** The message as nested maps and lists, for templates. */
    public static Map<String, Object> map(MessageOrBuilder message) {
        try {
            return JSON.readValue(json(message), new TypeReference<Map<String, Object>>() {
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a JSON body into a request builder; malformed JSON or unknown fields are INVALID_ARGUMENT. */
    public static <B extends Message.Builder> B parse(String body, B builder) {
        if (body == null || body.isBlank()) {
            return builder;
        }
        try {
            PARSER.merge(body, builder);
            return builder;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw ApiErrors.invalidArgument("body", "not a valid " + builder.getDescriptorForType().getName()
                    + " in JSON: " + e.getMessage());
        }
    }

    /**
     * Sets scalar fields by their proto names from path and query parameters (strings converted to
     * the field's type); blank values are left unset. A value of the wrong shape is INVALID_ARGUMENT
     * naming the field.
     */
    public static <B extends Message.Builder> B set(B builder, Map<String, String> fields) {
        fields.forEach((name, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            FieldDescriptor field = builder.getDescriptorForType().findFieldByName(name);
            if (field == null || field.isRepeated()) {
                throw new IllegalArgumentException(builder.getDescriptorForType().getName() + " has no scalar field " + name);
            }
            builder.setField(field, convert(field, value));
        });
        return builder;
    }

    private static Object convert(FieldDescriptor field, String value) {
        String json = field.getJsonName();
        try {
            return switch (field.getJavaType()) {
                case STRING -> value;
                case INT -> Integer.parseInt(value);
                case LONG -> Long.parseLong(value);
                case BOOLEAN -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new NumberFormatException();
                    }
                    yield Boolean.parseBoolean(value);
                }
                case ENUM -> {
                    EnumValueDescriptor v = field.getEnumType().findValueByName(value);
                    if (v == null) {
                        throw ApiErrors.invalidArgument(json, "not one of " + field.getEnumType().getValues().stream()
                                .map(EnumValueDescriptor::getName).toList());
                    }
                    yield v;
                }
                default -> throw new IllegalArgumentException("unsupported parameter type for " + field.getFullName());
            };
        } catch (NumberFormatException e) {
            throw ApiErrors.invalidArgument(json, "not a valid " + field.getJavaType().name().toLowerCase() + ": " + value);
        }
    }
}
