package org.exportcontrol.platform.grpc;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.exportcontrol.platform.error.ApiErrors;

/**
 * Paging of every List RPC (AIP-158): {@code page_size} (0 means the default, capped at the
 * maximum) and an opaque {@code page_token} that resumes after a position. Tokens carry a prefix
 * naming the list they belong to, so a token from one list is refused by another.
 */
public final class Paging {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 500;

    private Paging() {
    }

    /** The effective page size; INVALID_ARGUMENT for a negative size. */
    public static int pageSize(int requested) {
        if (requested < 0) {
            throw ApiErrors.invalidArgument("page_size", "must not be negative");
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
    }

    /** A token resuming after {@code position} in the list {@code list}. */
    public static String token(String list, String position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((list + ":" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token resumes after, or {@code null} for an empty token (first page). */
    public static String position(String list, String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(list + ":")) {
                return decoded.substring(list.length() + 1);
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to the error below
        }
        throw ApiErrors.invalidArgument("page_token", "is not a page token of this list");
    }

    /** The numeric position a token resumes after, or {@code fallback} for the first page. */
    public static long longPosition(String list, String token, long fallback) {
        String position = position(list, token);
        if (position == null) {
            return fallback;
        }
        try {
            return Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw ApiErrors.invalidArgument("page_token", "is not a page token of this list");
        }
    }
}
