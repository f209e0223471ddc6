package org.exportcontrol.gateway.backend;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.enforcement.v1.ListAlertsRequest;
import org.exportcontrol.api.enforcement.v1.ListAlertsResponse;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import com.google.protobuf.ByteString;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;

/**
 * The alerts list, the page every officer of the chain keeps open, answered from a short-lived
 * cache (Quarkus cache, {@code quarkus.cache.caffeine."alert-pages".*}: one second by default).
 * <p>
 * A cached page is shared only by callers for whom enforcement-coordination would give the same
 * answer: the key is everything of the caller that enforcement reads (roles, jurisdiction,
 * department, enterprise, person or service) plus the request, never the person alone. Only
 * answers are kept, never refusals, so a caller whom enforcement refuses is always asked about
 * again. The token itself has been verified by the gateway before the cache is asked.
 * <p>
 * A page may be up to the time-to-live old: an alert raised a moment ago (alerts are raised
 * asynchronously from the signals anyway) shows a second later. A change made through this
 * gateway ({@link #changed()}) empties the cache at once, so a person who dismissed an alert sees
 * it dismissed; another replica's copy ages out within the time-to-live. A request with
 * {@code Cache-Control: no-cache} is answered by enforcement and refreshes the page.
 * Large pages (more than {@link #MAX_CACHED_PAGE_SIZE} alerts, e.g. the dashboard's) are never kept.
 */
@ApplicationScoped
public class AlertPages {

    /** Pages of up to this many alerts are cached (the UI and the API's default show 50). */
    public static final int MAX_CACHED_PAGE_SIZE = 100;

    @Inject
    Backends backends;

    @CacheName("alert-pages")
    Cache cache;

    /** A page of the alerts list and, made once when first asked for, its proto3 JSON. */
    public static final class Page {
        private final ListAlertsResponse response;
        private volatile String json;

        Page(ListAlertsResponse response) {
            this.response = response;
        }

        public ListAlertsResponse response() {
            return response;
        }

        public String json() {
            String j = json;
            if (j == null) {
                j = ProtoJson.json(response);
                json = j; // two threads may both print it: the same text
            }
            return j;
        }
    }

    /** What the page depends on: the request and the caller's attributes that enforcement reads. */
    record Key(Caller.Kind kind, Set<String> roles, Jurisdiction jurisdiction, Optional<String> department,
            Optional<String> enterprise, ByteString request) {

        static Key of(Caller c, ListAlertsRequest request) {
            return new Key(c.kind(), c.roles(), c.jurisdiction(), c.department(), c.enterprise(), request.toByteString());
        }
    }

    /**
     * The page, from the cache when an equal caller asked for it within the time-to-live (and
     * {@code fresh} is false), else from enforcement-coordination as the caller.
     */
    public Uni<Page> list(Caller caller, ListAlertsRequest request, boolean fresh) {
        Uni<Page> call = backends.alerts(caller).listAlerts(request).map(Page::new);
        if (request.getPageSize() < 0 || request.getPageSize() > MAX_CACHED_PAGE_SIZE) {
            return call; // a negative size is refused by enforcement; big pages are not kept
        }
        Key key = Key.of(caller, request);
        Uni<Void> drop = fresh ? cache.invalidate(key) : Uni.createFrom().voidItem();
        return drop.chain(() -> cache.getAsync(key, k -> call));
    }

    /** Something was changed through this gateway: no page read before it is served again. */
    public Uni<Void> changed() {
        return cache.invalidateAll();
    }

    /** True for a {@code Cache-Control} request header that asks for a fresh answer. */
    public static boolean noCache(String cacheControl) {
        if (cacheControl == null) {
            return false;
        }
        for (String directive : cacheControl.split(",")) {
            String d = directive.strip().toLowerCase(java.util.Locale.ROOT);
            if (d.equals("no-cache") || d.equals("no-store") || d.equals("max-age=0")) {
                return true;
            }
        }
        return false;
    }
}
