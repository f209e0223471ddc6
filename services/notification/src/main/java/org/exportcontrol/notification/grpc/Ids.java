package org.exportcontrol.notification.grpc;

import java.util.UUID;

import org.exportcontrol.platform.error.Validation;

/** Identifier parsing for the adapters. */
final class Ids {

    private Ids() {
    }

    /** The UUID in {@code value}, or null after adding a violation. */
    static UUID uuid(Validation v, String field, String value) {
        try {
            if (value != null && value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException ignored) {
            // falls through
        }
        v.add(field, "must be an id such as \"0f8fad5b-d9cb-469f-a165-70867728950e\"");
        return null;
    }
}
