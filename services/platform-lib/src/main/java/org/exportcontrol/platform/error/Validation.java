package org.exportcontrol.platform.error;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.google.rpc.BadRequest;

/**
 * Collects every field violation of one request, so the caller learns of all bad fields at once,
 * then throws one INVALID_ARGUMENT. Field names are the proto field paths, e.g. "lines[2].quantity.value".
 * <pre>
 * Validation v = new Validation();
 * v.require("request_id", Validation.isRequestId(req.getRequestId()), "must be 8-64 letters, digits, '-' or '_'");
 * v.throwIfInvalid();
 * </pre>
 */
public final class Validation {

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    /** Unsigned decimal: digits, optional fraction of at most 6 digits, no exponent. */
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,15}(\\.\\d{1,6})?");

    private final List<BadRequest.FieldViolation> violations = new ArrayList<>();

    public Validation require(String field, boolean condition, String description) {
        if (!condition) {
            violations.add(ApiErrors.violation(field, description));
        }
        return this;
    }

    public Validation add(String field, String description) {
        violations.add(ApiErrors.violation(field, description));
        return this;
    }

    /** Validates a request id (AIP-155 style: chosen by the caller, unique per call). */
    public Validation requestId(String field, String value) {
        return require(field, isRequestId(value), "must be 8 to 64 characters: letters, digits, '-' or '_'");
    }

    /** Validates a positive exact decimal such as "1250.5"; returns it or null if invalid. */
    public BigDecimal positiveDecimal(String field, String value) {
        if (value == null || !DECIMAL.matcher(value).matches()) {
            add(field, "must be a decimal number such as \"1250.5\" (at most 6 decimals, no sign or exponent)");
            return null;
        }
        BigDecimal parsed = new BigDecimal(value);
        if (parsed.signum() <= 0) {
            add(field, "must be greater than zero");
            return null;
        }
        return parsed;
    }

    public static boolean isRequestId(String value) {
        return value != null && REQUEST_ID.matcher(value).matches();
    }

    public boolean isValid() {
        return violations.isEmpty();
    }

    public List<BadRequest.FieldViolation> violations() {
        return List.copyOf(violations);
    }

    public void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw ApiErrors.invalidArgument(violations);
        }
    }
}
