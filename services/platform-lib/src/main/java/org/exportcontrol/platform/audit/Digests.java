package org.exportcontrol.platform.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;

/** SHA-256 digests, hex-encoded. */
public final class Digests {

    public static final String SHA_256 = "SHA-256";

    private Digests() {
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Digest of a message in deterministic serialization (map entries in a fixed order). */
    public static String sha256Hex(Message message) {
        return sha256Hex(deterministicBytes(message));
    }

    public static byte[] deterministicBytes(Message message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(message.getSerializedSize());
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.useDeterministicSerialization();
            message.writeTo(coded);
            coded.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("serialising to memory cannot fail", e);
        }
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance(SHA_256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
