package org.exportcontrol.notification.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.api.notification.v1.RoleRecipient;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Finds the people behind recipients in the realm, with notification's own service account
 * (realm-management view-users / query-users / query-groups / view-realm) through the Keycloak
 * admin client. Blocking: called from a worker thread, never from the event loop.
 * <ul>
 * <li>role + jurisdiction (+ department): the users holding the realm role whose groups carry
 * that {@code jurisdiction} attribute (and {@code department}), attributes inherited from parent
 * groups as the token mappers do;</li>
 * <li>username: that user;</li>
 * <li>enterprise: the members of the group under /enterprises whose {@code enterprise} attribute
 * is the credit code.</li>
 * </ul>
 * Disabled users are skipped. Group attributes and each recipient's people are cached briefly.
 */
@ApplicationScoped
public class RecipientResolver {

    private static final Logger LOG = Logger.getLogger(RecipientResolver.class);
    private static final int PAGE = 500;

    @ConfigProperty(name = "quarkus.keycloak.admin-client.server-url")
    String serverUrl;
    @ConfigProperty(name = "quarkus.keycloak.admin-client.realm")
    String realmName;
    @ConfigProperty(name = "quarkus.keycloak.admin-client.client-id")
    String clientId;
    @ConfigProperty(name = "quarkus.keycloak.admin-client.client-secret")
    Optional<String> clientSecret;
    @ConfigProperty(name = "notification.keycloak.group-cache", defaultValue = "60s")
    Duration groupCache;

    private final Map<String, CachedGroup> groups = new ConcurrentHashMap<>();

    @ConfigProperty(name = "notification.keycloak.recipient-refresh", defaultValue = "30s")
    Duration recipientRefresh;
    @ConfigProperty(name = "notification.keycloak.recipient-expiry", defaultValue = "10m")
    Duration recipientExpiry;
    @Inject
    MeterRegistry meters;

    private LoadingCache<Recipient, List<Person>> recipientCache;

    /** A person to notify. */
    public record Person(String username, String email) {
    }

    private volatile Keycloak keycloak;

    /**
     * The admin client, built once from the {@code quarkus.keycloak.admin-client.*} configuration
     * (the extension's REST client underneath). The extension's injectable client is
     * request-scoped: its token would be fetched per resolution and, with context propagation, it
     * could be closed (a blocking logout) on an event-loop thread; one long-lived client whose
     * token manager renews the service token avoids both.
     */
    Keycloak keycloak() {
        Keycloak k = keycloak;
        if (k == null) {
            synchronized (this) {
                if (keycloak == null) {
                    keycloak = KeycloakBuilder.builder().serverUrl(serverUrl).realm(realmName)
                            .grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientId(clientId)
                            .clientSecret(clientSecret.orElse("")).build();
                }
                k = keycloak;
            }
        }
        return k;
    }

    @PreDestroy
    void close() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    /** Everyone the recipients name, each once, in a stable order. Blocking: call on a worker thread. */
    public List<Person> resolve(List<Recipient> recipients) {
        Map<String, Person> people = new LinkedHashMap<>();
        for (Recipient r : recipients) {
            for (Person p : people(r)) {
                people.putIfAbsent(p.username(), p);
            }
        }
        return List.copyOf(people.values());
    }

    /**
     * The enabled people one recipient names, from a cache (Caffeine): finding the holders of a
     * role in a jurisdiction takes a realm call per holder, and every alert of a province names the
     * same recipients, so without it a burst of alerts becomes a burst of admin calls that Keycloak
     * answers one by one (the early-warning benchmark at 20 alerts/s: inbox items 20-25 s late).
     * An entry older than {@code notification.keycloak.recipient-refresh} is looked up again in the
     * background while the delivery goes on with it, so no delivery waits for the realm once its
     * recipients were seen (a role or group change reaches notifications within about that time);
     * one older than {@code recipient-expiry} is not used. A failed look-up is not kept.
     */
    private List<Person> people(Recipient r) {
        return recipientCache.get(r);
    }

    @PostConstruct
    void createRecipientCache() {
        // refreshes call Keycloak and block: on the worker pool, not the common pool
        recipientCache = Caffeine.newBuilder().maximumSize(10_000).refreshAfterWrite(recipientRefresh)
                .expireAfterWrite(recipientExpiry).executor(Infrastructure.getDefaultWorkerPool())
                .recordStats().build(this::lookUp);
        CaffeineCacheMetrics.monitor(meters, recipientCache, "recipients");
    }

    private List<Person> lookUp(Recipient r) {
        RealmResource realm = keycloak().realm(realmName);
        return users(realm, r).stream().filter(u -> !Boolean.FALSE.equals(u.isEnabled()))
                .map(u -> new Person(u.getUsername(), blankToNull(u.getEmail()))).toList();
    }

    private List<UserRepresentation> users(RealmResource realm, Recipient r) {
        return switch (r.getTargetCase()) {
            case ROLE -> byRole(realm, r.getRole());
            case USERNAME -> realm.users().searchByUsername(r.getUsername(), true);
            case ENTERPRISE_CREDIT_CODE -> byEnterprise(realm, r.getEnterpriseCreditCode());
            default -> List.of();
        };
    }

    private List<UserRepresentation> byRole(RealmResource realm, RoleRecipient role) {
        String jurisdiction = role.getJurisdiction().getCode();
        String department = role.getDepartment() == Department.DEPARTMENT_UNSPECIFIED ? null
                : Recipients.departmentAttribute(role.getDepartment());
        List<UserRepresentation> members;
        try {
            members = realm.roles().get(role.getRole()).getUserMembers(false, 0, PAGE);
        } catch (NotFoundException e) {
            LOG.warnf("role %s does not exist in the realm", role.getRole());
            return List.of();
        }
        return members.stream().filter(u -> inScope(realm, u, jurisdiction, department)).toList();
    }

    /** True if one of the user's groups (with inherited attributes) is in the jurisdiction and department. */
    private boolean inScope(RealmResource realm, UserRepresentation user, String jurisdiction, String department) {
        for (GroupRepresentation g : realm.users().get(user.getId()).groups(0, PAGE, false)) {
            Map<String, String> attributes = effectiveAttributes(realm, g.getId());
            if (jurisdiction.equals(attributes.get("jurisdiction"))
                    && (department == null || department.equals(attributes.get("department")))) {
                return true;
            }
        }
        return false;
    }

    /** The group's attributes with those of its ancestors underneath (the nearest group wins). */
    private Map<String, String> effectiveAttributes(RealmResource realm, String groupId) {
        Map<String, String> result = new HashMap<>();
        String id = groupId;
        int depth = 0;
        while (id != null && depth++ < 16) {
            CachedGroup group = group(realm, id);
            group.attributes().forEach(result::putIfAbsent);
            id = group.parentId();
        }
        return result;
    }

    private CachedGroup group(RealmResource realm, String id) {
        CachedGroup cached = groups.get(id);
        if (cached != null && cached.fetchedAtMillis() + groupCache.toMillis() > System.currentTimeMillis()) {
            return cached;
        }
        GroupRepresentation g = realm.groups().group(id).toRepresentation();
        Map<String, String> attributes = new HashMap<>();
        if (g.getAttributes() != null) {
            g.getAttributes().forEach((k, v) -> {
                if (v != null && !v.isEmpty()) {
                    attributes.put(k, v.get(0));
                }
            });
        }
        CachedGroup fresh = new CachedGroup(Map.copyOf(attributes), g.getParentId(), System.currentTimeMillis());
        groups.put(id, fresh);
        return fresh;
    }

    private List<UserRepresentation> byEnterprise(RealmResource realm, String creditCode) {
        GroupRepresentation enterprises;
        try {
            enterprises = realm.getGroupByPath("/enterprises");
        } catch (NotFoundException e) {
            return List.of();
        }
        for (GroupRepresentation g : realm.groups().group(enterprises.getId()).getSubGroups(0, PAGE, false)) {
            List<String> codes = g.getAttributes() == null ? null : g.getAttributes().get("enterprise");
            if (codes != null && codes.contains(creditCode)) {
                return realm.groups().group(g.getId()).members(0, PAGE, false);
            }
        }
        LOG.debugf("no enterprise group with credit code %s", creditCode);
        return List.of();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private record CachedGroup(Map<String, String> attributes, String parentId, long fetchedAtMillis) {
        CachedGroup {
            Objects.requireNonNull(attributes);
        }
    }
}
