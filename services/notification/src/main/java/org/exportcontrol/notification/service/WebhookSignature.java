package org.exportcontrol.notification.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook call: HMAC-SHA256, keyed with the webhook's secret (its UTF-8
 * bytes), over {@code <timestamp> + "." + <raw body>}, where the timestamp is the value of the
 * header {@code X-ExportControl-Timestamp} (Unix seconds). Sent as
 * {@code X-ExportControl-Signature: v1=<lower-case hex>}. A receiver recomputes it over the raw
 * bytes it received, compares in constant time, and refuses timestamps far from its clock.
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = "X-ExportControl-Timestamp";
    public static final String SIGNATURE_HEADER = "X-ExportControl-Signature";
    public static final String DELIVERY_HEADER = "X-ExportControl-Delivery";
    public static final String EVENT_HEADER = "X-ExportControl-Event";
    public static final String VERSION = "v1";

    private WebhookSignature() {
    }

    /** The header value, {@code v1=<hex>}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        return VERSION + "=" + HexFormat.of().formatHex(mac(secret, timestamp, body));
    }

    /** True if {@code header} is a valid v1 signature of {@code body} at {@code timestamp} under {@code secret}. */
    public static boolean verify(String secret, String timestampHeader, byte[] body, String header) {
        if (header == null || timestampHeader == null || !header.startsWith(VERSION + "=")) {
            return false;
        }
        long timestamp;
        byte[] given;
        try {
            timestamp = Long.parseLong(timestampHeader);
            given = HexFormat.of().parseHex(header.substring(VERSION.length() + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, timestamp, body), given);
    }

    private static byte[] mac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
