package org.exportcontrol.gateway.admin;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.google.rpc.BadRequest;

import io.vertx.mutiny.sqlclient.Pool;

/**
 * Onboards a province into the realm, the one way to do so (docs/operations.md points here): its
 * group with the departments below it, the confidential client of its provincial system (secret
 * shown once), and its first supervisor (temporary password shown once, changed at first login).
 * Runs with the gateway's own service account (realm-management: manage-users, manage-clients) and
 * is recorded in the gateway's audit chain. Blocking: call on a worker thread.
 */
@ApplicationScoped
public class ProvinceOnboarding {

    private static final Logger LOG = Logger.getLogger(ProvinceOnboarding.class);
    public static final List<String> DEPARTMENTS = List.of("commerce", "customs", "public-security", "market-regulation",
            "industry");
    private static final Pattern SLUG = Pattern.compile("[a-z][a-z-]{1,39}");
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    @ConfigProperty(name = "quarkus.keycloak.admin-client.server-url")
    String serverUrl;
    @ConfigProperty(name = "quarkus.keycloak.admin-client.realm")
    String realmName;
    @ConfigProperty(name = "quarkus.keycloak.admin-client.client-id")
    String clientId;
    @ConfigProperty(name = "quarkus.keycloak.admin-client.client-secret")
    Optional<String> clientSecret;

    @Inject
    AuditLog auditLog;
    @Inject
    Pool pool;

    private volatile Keycloak keycloak;

    /** What the national coordinator enters. */
    public record Request(String code, String name, String supervisorUsername, String supervisorEmail,
            String supervisorFirstName, String supervisorLastName) {
    }

    /** What is shown once: the provincial system's credentials and the supervisor's first password. */
    public record Result(String code, String group, String systemClientId, String systemClientSecret,
            String supervisorUsername, String supervisorTemporaryPassword) {
    }

    public record Province(String code, String name, String group) {
    }

    public List<Province> provinces() {
        List<Province> provinces = new ArrayList<>();
        for (GroupRepresentation g : realm().groups().groups("provinces", true, 0, 1, false).stream()
                .filter(g -> g.getName().equals("provinces")).findFirst()
                .map(g -> realm().groups().group(g.getId()).getSubGroups(0, 1000, false)).orElse(List.of())) {
            String code = Optional.ofNullable(g.getAttributes()).map(a -> a.get("jurisdiction"))
                    .filter(v -> !v.isEmpty()).map(v -> v.get(0)).orElse("");
            provinces.add(new Province(code, Jurisdiction.parse(code).map(Jurisdiction::displayName).orElse(g.getName()),
                    g.getPath()));
        }
        provinces.sort(Comparator.comparing(Province::code));
        return provinces;
    }

    public Result onboard(Caller caller, Request request) {
        validate(request);
        RealmResource realm = realm();
        String systemClientId = "province-" + request.code() + "-system";
        if (provinces().stream().anyMatch(p -> p.code().equals(request.code()))) {
            throw ApiErrors.alreadyExists("PROVINCE_EXISTS", "province " + request.code() + " is already onboarded");
        }
        if (!realm.clients().findByClientId(systemClientId).isEmpty()) {
            throw ApiErrors.alreadyExists("CLIENT_EXISTS", "client " + systemClientId + " already exists");
        }
        if (!realm.users().searchByUsername(request.supervisorUsername(), true).isEmpty()) {
            throw ApiErrors.alreadyExists("USER_EXISTS", "user " + request.supervisorUsername() + " already exists");
        }

        List<Runnable> undo = new ArrayList<>();
        try {
            return create(caller, request, realm, systemClientId, undo);
        } catch (RuntimeException e) {
            // a half-onboarded province would block a retry: remove what was created, newest first
            for (int i = undo.size() - 1; i >= 0; i--) {
                try {
                    undo.get(i).run();
                } catch (RuntimeException cleanup) {
                    LOG.warnf("could not undo a step of onboarding %s: %s", request.code(), cleanup.toString());
                }
            }
            throw e;
        }
    }

    private Result create(Caller caller, Request request, RealmResource realm, String systemClientId, List<Runnable> undo) {
        // 1. the province's group and its departments
        GroupRepresentation parent = realm.groups().groups("provinces", true, 0, 1, false).stream()
                .filter(g -> g.getName().equals("provinces")).findFirst()
                .orElseThrow(() -> ApiErrors.failedPrecondition("REALM_INCOMPLETE", "the realm has no /provinces group"));
        GroupRepresentation province = new GroupRepresentation();
        province.setName(request.name());
        province.setAttributes(Map.of("jurisdiction", List.of(request.code())));
        String provinceId = created(realm.groups().group(parent.getId()).subGroup(province));
        undo.add(() -> realm.groups().group(provinceId).remove());
        for (String department : DEPARTMENTS) {
            GroupRepresentation d = new GroupRepresentation();
            d.setName(department);
            d.setAttributes(Map.of("department", List.of(department)));
            created(realm.groups().group(provinceId).subGroup(d));
        }

        // 2. the provincial system's confidential client, with its fixed jurisdiction claim
        String secret = randomSecret();
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(systemClientId);
        client.setName("Provincial system " + Jurisdiction.of(request.code()).displayName() + " (" + request.code() + ")");
        client.setEnabled(true);
        client.setProtocol("openid-connect");
        client.setPublicClient(false);
        client.setClientAuthenticatorType("client-secret");
        client.setSecret(secret);
        client.setStandardFlowEnabled(false);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setServiceAccountsEnabled(true);
        client.setDefaultClientScopes(List.of("basic", "acr", "profile", "email", "roles", "web-origins", "chain-claims",
                "service_account"));
        ProtocolMapperRepresentation claim = new ProtocolMapperRepresentation();
        claim.setName("jurisdiction");
        claim.setProtocol("openid-connect");
        claim.setProtocolMapper("oidc-hardcoded-claim-mapper");
        claim.setConfig(Map.of("claim.name", "jurisdiction", "claim.value", request.code(), "jsonType.label", "String",
                "access.token.claim", "true", "id.token.claim", "false", "userinfo.token.claim", "false",
                "introspection.token.claim", "true"));
        client.setProtocolMappers(List.of(claim));
        String clientUuid = created(realm.clients().create(client));
        undo.add(() -> realm.clients().get(clientUuid).remove());
        UserRepresentation serviceAccount = realm.clients().get(clientUuid).getServiceAccountUser();
        realm.users().get(serviceAccount.getId()).roles().realmLevel()
                .add(List.of(realm.roles().get("provincial-system").toRepresentation()));

        // 3. the first supervisor, who must change the temporary password at first login
        String password = randomSecret();
        UserRepresentation supervisor = new UserRepresentation();
        supervisor.setUsername(request.supervisorUsername());
        supervisor.setEmail(request.supervisorEmail());
        supervisor.setEmailVerified(true);
        supervisor.setFirstName(request.supervisorFirstName());
        supervisor.setLastName(request.supervisorLastName());
        supervisor.setEnabled(true);
        supervisor.setGroups(List.of(parent.getPath() + "/" + request.name() + "/commerce"));
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(true);
        supervisor.setCredentials(List.of(credential));
        String userId = created(realm.users().create(supervisor));
        undo.add(() -> realm.users().get(userId).remove());
        realm.users().get(userId).roles().realmLevel()
                .add(List.of(realm.roles().get("provincial-supervisor").toRepresentation()));

        Jurisdiction jurisdiction = Jurisdiction.of(request.code());
        pool.withTransaction(connection -> auditLog.append(connection,
                AuditRecord.of(caller, jurisdiction, "province.onboard", "province/" + request.code(), null)))
                .await().indefinitely();
        LOG.infof("province %s onboarded by %s (client %s, supervisor %s)", request.code(), caller.subject(),
                systemClientId, request.supervisorUsername());
        return new Result(request.code(), parent.getPath() + "/" + request.name(), systemClientId, secret,
                request.supervisorUsername(), password);
    }

    static void validate(Request r) {
        List<BadRequest.FieldViolation> violations = new ArrayList<>();
        if (r.code() == null || !Jurisdiction.isValid(r.code()) || Jurisdiction.NATIONAL_CODE.equals(r.code())) {
            violations.add(ApiErrors.violation("code", "a province-level GB/T 2260 code, e.g. 530000"));
        }
        if (r.name() == null || !SLUG.matcher(r.name()).matches()) {
            violations.add(ApiErrors.violation("name", "the group name: 2-40 lower-case letters or '-', e.g. yunnan"));
        }
        if (r.supervisorUsername() == null || !USERNAME.matcher(r.supervisorUsername()).matches()) {
            violations.add(ApiErrors.violation("supervisorUsername", "3-64 lower-case letters, digits, '.', '_' or '-'"));
        }
        if (r.supervisorEmail() == null || !EMAIL.matcher(r.supervisorEmail()).matches()) {
            violations.add(ApiErrors.violation("supervisorEmail", "an e-mail address"));
        }
        if (r.supervisorFirstName() == null || r.supervisorFirstName().isBlank() || r.supervisorFirstName().length() > 100) {
            violations.add(ApiErrors.violation("supervisorFirstName", "required, at most 100 characters"));
        }
        if (r.supervisorLastName() == null || r.supervisorLastName().isBlank() || r.supervisorLastName().length() > 100) {
            violations.add(ApiErrors.violation("supervisorLastName", "required, at most 100 characters"));
        }
        if (!violations.isEmpty()) {
            throw ApiErrors.invalidArgument(violations);
        }
    }

    private static String created(Response response) {
        try (response) {
            if (response.getStatus() != 201) {
                throw new WebApplicationException("Keycloak refused: HTTP " + response.getStatus(), response.getStatus());
            }
            String location = response.getLocation().getPath();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    RealmResource realm() {
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
        return k.realm(realmName);
    }

    @PreDestroy
    void close() {
        if (keycloak != null) {
            keycloak.close();
        }
    }
}
