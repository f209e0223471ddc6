package org.exportcontrol.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.exportcontrol.api.common.v1.AuditEntry;
import org.exportcontrol.api.common.v1.AuditServiceGrpc;
import org.exportcontrol.api.common.v1.ListAuditEntriesRequest;
import org.exportcontrol.gateway.Surface.Caller;
import org.exportcontrol.gateway.Surface.Rpc;
import org.exportcontrol.gateway.Surface.Rule;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Generated malformed and mutated requests (seeded, {@link BadInput}) to every write RPC of every
 * service and every write endpoint of the API, with a valid token of a role that may make the call:
 * never INTERNAL/UNKNOWN/UNAVAILABLE or 5xx, and a refused request changes nothing (the service's audit chain
 * head stays where it was, apart from entries of other actors). {@code -Dbadinput.cases=N} sets the
 * cases per method and endpoint (200 by default; deploy/local/fuzz.sh runs 10,000),
 * {@code -Dbadinput.seed=S} the seed, and {@code -Dbadinput.window=W} after how many cases the
 * audit head is read again (1 by default: after every case; see {@link StateWatch}). Every case
 * carries a token valid at that moment: a refused sign-in (401/UNAUTHENTICATED) is counted as a
 * failure, since such a case never reached the input checks. The figures go to
 * target/bad-input-figures.txt.
 * <p>
 * The test command runs it with 200 cases per target; deploy/local/fuzz.sh runs it with 10,000
 * ({@code mvn -pl services/gateway test -Dtest=BadInputTest -Dbadinput.cases=N}).
 */
@QuarkusTest
@QuarkusTestResource(value = BackendServices.class, restrictToAnnotatedClass = false)
class BadInputTest {

    static final int CASES = Integer.getInteger("badinput.cases", 200);
    static final long SEED = Long.getLong("badinput.seed", 20261128L);
    static final int WINDOW = Math.max(1, Integer.getInteger("badinput.window", 1));
    private static final long DEADLINE_MILLIS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path FIGURES = Path.of("target", "bad-input-figures.txt");

    static List<Caller> callers;
    static Map<String, Rule> rules;
    static List<Rpc> rpcs;

    @BeforeAll
    static void surface() {
        callers = Surface.callers();
        rules = Surface.rules();
        rpcs = Surface.rpcs();
    }

    /** The figures of one run: per status, INTERNAL/5xx, state changes. */
    static final class Figures {
        final String name;
        int targets;
        long cases;
        long accepted;
        final Map<String, Long> byStatus = new TreeMap<>();
        final Map<String, Long> byKind = new TreeMap<>();
        final List<String> internal = new ArrayList<>();
        final List<String> stateChanges = new ArrayList<>();

        Figures(String name) {
            this.name = name;
        }

        String summary() {
            return "[bad-input] %s: %d methods/endpoints, %d cases (%d per target, seed %d, audit head read every %d), %d accepted as valid, refusals %s, kinds %s, INTERNAL/UNKNOWN/UNAVAILABLE/5xx or refused token %d, state changes %d"
                    .formatted(name, targets, cases, CASES, SEED, WINDOW, accepted, byStatus, byKind, internal.size(), stateChanges.size());
        }

        /** The verdict: enough targets found, no failure answer, no state change by a refused case (the first 40 of each shown). */
        void assertClean(int minTargets, String targetKind, String failure) {
            assertTrue(targets >= minTargets, targetKind + " found: " + targets);
            assertTrue(internal.isEmpty(), internal.size() + " cases answered " + failure + ":\n"
                    + String.join("\n", internal.subList(0, Math.min(40, internal.size()))));
            assertTrue(stateChanges.isEmpty(), stateChanges.size() + " refused cases changed state:\n"
                    + String.join("\n", stateChanges.subList(0, Math.min(40, stateChanges.size()))));
        }

        void write() throws IOException {
            Files.createDirectories(FIGURES.getParent());
            StringBuilder text = new StringBuilder(summary()).append(System.lineSeparator());
            // the problems grouped by target and answer, for reading (the full list is in the assertion)
            Map<String, Long> groups = new TreeMap<>();
            for (String p : internal) {
                String group = p.replaceFirst(" case \\d+ \\([A-Z_]+,", " (").replaceAll("\\s+", " ");
                groups.merge(group.substring(0, Math.min(200, group.length())), 1L, Long::sum);
            }
            groups.forEach((k, n) -> text.append("  ").append(n).append(" x ").append(k).append(System.lineSeparator()));
            Files.writeString(FIGURES, text, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            System.out.print(text);
        }
    }

    @Test
    void everyWriteRpcSurvivesGeneratedBadInputAndChangesNothing() throws IOException {
        Figures figures = new Figures("gRPC");
        Map<String, ManagedChannel> channels = new LinkedHashMap<>();
        try {
            for (Rpc rpc : rpcs) {
                if (!rpc.writes()) {
                    continue;
                }
                Rule rule = rules.get(rpc.key());
                assertTrue(rule != null, rpc.key() + " has no row in docs/security-model.md");
                Caller caller = Surface.allowedCaller(rule, callers);
                String service = rpc.servedBy().get(0);
                ManagedChannel channel = channels.computeIfAbsent(service, s -> Surface.channel(s, RestAssured.port));
                figures.targets++;
                BadInput generator = new BadInput(SEED ^ rpc.key().hashCode());
                StateWatch watch = new StateWatch(channel, caller, figures);
                ManagedChannel calls = null;
                for (int i = 0; i < CASES; i++) {
                    // a fresh connection every 50 cases: the server's HTTP/2 reset-flood guard answers a
                    // connection that has cancelled hundreds of streams within seconds with GOAWAY
                    if (i % 50 == 0) {
                        if (calls != null) {
                            calls.shutdownNow();
                        }
                        calls = Surface.channel(service, RestAssured.port);
                    }
                    BadInput.GrpcCase c = generator.grpc(rpc.input());
                    Status status = Surface.call(calls, rpc, c.bytes(), caller.currentToken(), DEADLINE_MILLIS);
                    figures.cases++;
                    figures.byKind.merge(c.kind().name(), 1L, Long::sum);
                    figures.byStatus.merge(status.getCode().name(), 1L, Long::sum);
                    String label = rpc.key() + " case " + i + " (" + c.kind() + ", by " + caller.name() + ")";
                    // UNAVAILABLE tells the client to retry: bad input answered so would be sent again and again;
                    // UNAUTHENTICATED: the token was refused, so the case never reached the input checks
                    if (status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNKNOWN
                            || status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.UNAUTHENTICATED) {
                        figures.internal.add(label + ": " + status.getCode() + " " + status.getDescription());
                    }
                    if (status.isOk()) {
                        figures.accepted++;
                    }
                    watch.add(label, c.requestId(), status.isOk(), status.getCode().name());
                }
                watch.check();
                if (calls != null) {
                    calls.shutdownNow();
                }
            }
        } finally {
            channels.values().forEach(ManagedChannel::shutdownNow);
        }
        figures.write();
        figures.assertClean(40, "write RPCs", "INTERNAL/UNKNOWN/UNAVAILABLE/UNAUTHENTICATED");
    }

    @Test
    void everyWriteEndpointSurvivesGeneratedBadInputAndChangesNothing() throws IOException {
        Figures figures = new Figures("REST");
        JsonNode paths = JSON.readTree(given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString()).get("paths");
        Map<String, ManagedChannel> channels = new LinkedHashMap<>();
        try {
            for (Iterator<String> it = paths.fieldNames(); it.hasNext();) {
                String path = it.next();
                JsonNode operation = paths.get(path).get("post");
                if (operation == null) {
                    continue;
                }
                String key = "POST " + path;
                Rule rule = rules.get(key);
                assertTrue(rule != null, key + " has no row in docs/security-model.md");
                Caller caller = Surface.allowedCaller(rule, callers);
                // the gRPC method behind it: the operation's description starts with its name
                String method = operation.path("description").asText("").split("[;\\s]")[0];
                Rpc rpc = rpcs.stream().filter(r -> r.method().getName().equals(method)).findFirst().orElse(null);
                Descriptor request = rpc == null ? null : rpc.input();
                String service = rpc == null ? "gateway" : rpc.servedBy().get(0);
                ManagedChannel channel = channels.computeIfAbsent(service, s -> Surface.channel(s, RestAssured.port));
                List<String> names = List.of("code", "name", "supervisorUsername", "supervisorEmail", "supervisorFirstName",
                        "supervisorLastName");
                figures.targets++;
                BadInput generator = new BadInput(SEED ^ key.hashCode());
                StateWatch watch = new StateWatch(channel, caller, figures);
                for (int i = 0; i < CASES; i++) {
                    BadInput.RestCase c = generator.rest(request, names);
                    String concrete = path.replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(
                            java.net.URLEncoder.encode(c.pathValue(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")));
                    HttpResponse<String> response = post(concrete, caller.currentToken(), c.idempotencyKey(), c.body());
                    int status = response == null ? 0 : response.statusCode();
                    String answer = response == null ? "" : abbreviate(response.body());
                    // A request the server refuses to read (a body over 4 MiB: 413; a request line over
                    // 4,096 bytes: 414; a request line the HTTP decoder rejects) is answered and the
                    // connection closed, and a client still sending its body may lose that answer to
                    // the reset (TCP). Such a case is sent again by a client that reads while it sends
                    // (RFC 9112, 9.5): only no answer even then is the server's failure.
                    boolean unread = c.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 4 * 1024 * 1024
                            || concrete.length() > 4_000;
                    if (status == 0 && !unread) {
                        status = postReadingWhileSending(concrete, caller.currentToken(), c.idempotencyKey(), c.body());
                        figures.byStatus.merge("closed, then heard by a client reading while it sends", 1L, Long::sum);
                    }
                    figures.cases++;
                    figures.byKind.merge(c.kind().name(), 1L, Long::sum);
                    figures.byStatus.merge(status == 0 ? "closed" : Integer.toString(status), 1L, Long::sum);
                    String label = key + " case " + i + " (" + c.kind() + ", by " + caller.name() + ")";
                    if (status >= 500) {
                        figures.internal.add(label + ": " + status + " " + answer);
                    }
                    if (status == 401) {
                        figures.internal.add(label + ": 401, the token was refused " + answer);
                    }
                    if (status == 0 && !unread) {
                        figures.internal.add(label + ": the connection closed without an answer");
                    }
                    if (status > 0 && status < 300) {
                        figures.accepted++;
                    }
                    watch.add(label, c.idempotencyKey(), status > 0 && status < 300, status == 0 ? "closed" : Integer.toString(status));
                }
                watch.check();
            }
        } finally {
            channels.values().forEach(ManagedChannel::shutdownNow);
        }
        figures.write();
        figures.assertClean(19, "write endpoints", "5xx, 401 or a closed connection");
    }

    @Test
    void aMessageAboveTheFourMebibyteLimitIsResourceExhaustedOr413() {
        Rpc create = rpcs.stream().filter(r -> r.key().equals("ApplicationService/CreateApplication")).findFirst().orElseThrow();
        byte[] oversized = org.exportcontrol.api.licensing.v1.CreateApplicationRequest.newBuilder()
                .setRequestId(MissionData.id()).setContent(org.exportcontrol.api.licensing.v1.ApplicationContent.newBuilder()
                        .setEndUse("x".repeat(5 * 1024 * 1024)))
                .build().toByteArray();
        ManagedChannel channel = Surface.channel("licensing", RestAssured.port);
        try {
            long head = Surface.head(channel).getSequence();
            Status status = Surface.call(channel, create, oversized, RealmTokens.user("jx-licensing-officer"), DEADLINE_MILLIS);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), String.valueOf(status));
            assertEquals(head, Surface.head(channel).getSequence(), "an oversized request changed licensing's chain");
        } finally {
            channel.shutdownNow();
        }
        HttpResponse<String> response = post("/api/v1/applications", RealmTokens.user("jx-licensing-officer"), MissionData.id(),
                "{\"content\":{\"endUse\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}}");
        assertTrue(response != null, "the connection closed without an answer");
        assertEquals(413, response.statusCode(), response.body());
        // sent without asking first, the refusal comes while the body is still being sent: heard by a
        // client that reads while it sends (how the sweep asks again when a connection closes unanswered)
        assertEquals(413, postReadingWhileSending("/api/v1/applications", RealmTokens.user("jx-licensing-officer"),
                MissionData.id(), "{\"content\":{\"endUse\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}}"));
    }

    @Test
    void callsWithoutADeadlineStillComplete() {
        ManagedChannel channel = Surface.channel("licensing", RestAssured.port);
        try {
            Rpc create = rpcs.stream().filter(r -> r.key().equals("ApplicationService/CreateApplication")).findFirst().orElseThrow();
            Rpc list = rpcs.stream().filter(r -> r.key().equals("ApplicationService/ListApplications")).findFirst().orElseThrow();
            long started = System.nanoTime();
            // no deadline on either call (Surface.call waits up to two minutes for an answer)
            assertEquals(Status.Code.INVALID_ARGUMENT,
                    Surface.call(channel, create, new byte[0], RealmTokens.user("jx-licensing-officer"), 0).getCode());
            assertEquals(Status.Code.OK, Surface.call(channel, list, new byte[0], RealmTokens.user("jx-licensing-officer"), 0).getCode());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30), "calls without a deadline took over 30 s");
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * Whether refused cases changed state: the target service's audit head is read before the
     * first case and again after every {@link #WINDOW} cases. When it moved, the entries appended
     * in between are matched to the window's cases: an entry carrying a refused case's request id
     * is a state change by that case; an entry of the caller (a person) without one is a state
     * change by the window, unless a case of the window was accepted (its entries are expected;
     * then only request ids tell, which is why the test command reads the head after every case).
     */
    private static final class StateWatch {
        private final ManagedChannel channel;
        private final Caller caller;
        private final Figures figures;
        private long head;
        private final List<String> labels = new ArrayList<>();
        private final Map<String, String> refusedByRequestId = new LinkedHashMap<>();
        private final java.util.Set<String> acceptedRequestIds = new java.util.HashSet<>();
        private boolean anyAccepted;

        StateWatch(ManagedChannel channel, Caller caller, Figures figures) {
            this.channel = channel;
            this.caller = caller;
            this.figures = figures;
            this.head = Surface.head(channel).getSequence();
        }

        void add(String label, String requestId, boolean accepted, String answer) {
            String outcome = label + (accepted ? " accepted" : " refused with " + answer);
            labels.add(outcome);
            if (accepted) {
                anyAccepted = true;
                if (!requestId.isBlank()) {
                    acceptedRequestIds.add(requestId);
                }
            } else if (!requestId.isBlank()) {
                refusedByRequestId.putIfAbsent(requestId, outcome);
            }
            if (labels.size() >= WINDOW) {
                check();
            }
        }

        void check() {
            if (labels.isEmpty()) {
                return;
            }
            long after = Surface.head(channel).getSequence();
            if (after != head) {
                for (AuditEntry e : entriesAfter(channel, head, after)) {
                    String byCase = refusedByRequestId.get(e.getRequestId());
                    if (byCase != null) {
                        figures.stateChanges.add(byCase + " yet appended " + e.getAction() + " " + e.getSubject());
                    } else if (!anyAccepted && caller.person() && caller.name().equals(e.getActor())
                            && !acceptedRequestIds.contains(e.getRequestId())) {
                        String window = labels.size() == 1 ? labels.get(0)
                                : labels.get(0) + " .. " + labels.get(labels.size() - 1) + " (one of " + labels.size() + " cases)";
                        figures.stateChanges.add(window + " yet appended " + e.getAction() + " " + e.getSubject());
                    }
                }
            }
            head = after;
            labels.clear();
            refusedByRequestId.clear();
            acceptedRequestIds.clear();
            anyAccepted = false;
        }
    }

    /** The audit entries after {@code sequence} up to {@code upTo}, page by page. */
    private static List<AuditEntry> entriesAfter(ManagedChannel channel, long sequence, long upTo) {
        var audit = GrpcAuth.bearer(AuditServiceGrpc.newBlockingStub(channel), RealmTokens.user("nat-auditor"))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        List<AuditEntry> entries = new ArrayList<>();
        long from = sequence;
        while (from < upTo) {
            List<AuditEntry> page = audit.listAuditEntries(ListAuditEntriesRequest.newBuilder().setPageSize(500)
                    .setPageToken(Paging.token("audit-entries", Long.toString(from))).build()).getEntriesList();
            long last = from;
            for (AuditEntry e : page) {
                if (e.getSequence() > from && e.getSequence() <= upTo) {
                    entries.add(e);
                }
                last = Math.max(last, e.getSequence());
            }
            if (page.isEmpty() || last == from) {
                break;
            }
            from = last;
        }
        return entries;
    }

    /*
     * HTTP/1.1, as curl and browsers speak to a cleartext server: the JDK client's default would try an
     * h2c upgrade, and the upgrade handler (Netty/Vert.x) closes a connection whose upgrade request
     * carries a body over the 4 MiB limit before the limit check can answer 413 (docs/reliability.md).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * A plain HTTP client (no request logging that would pretty-print a 5 MiB body); large bodies ask
     * first ("Expect: 100-continue"), as curl does, so a refusal of the size arrives before the body.
     * Null: the server closed the connection without an answer.
     */
    private static HttpResponse<String> post(String path, String token, String idempotencyKey, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                    .header("Authorization", "Bearer " + token).header("Idempotency-Key", idempotencyKey)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .expectContinue(body.length() > 1024 * 1024)
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The same POST over a plain socket, written by one thread while this one reads: a server that
     * answers before it has read the body and then closes is heard before the reset discards the
     * answer. The status of the answer, or 0 if none came (within 30 s).
     */
    private static int postReadingWhileSending(String path, String token, String idempotencyKey, String body) {
        byte[] payload = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + RestAssured.port + "\r\nAuthorization: Bearer " + token
                + "\r\nIdempotency-Key: " + idempotencyKey + "\r\nContent-Type: application/json\r\nAccept: application/json"
                + "\r\nContent-Length: " + payload.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(head);
                    socket.getOutputStream().write(payload);
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    // the server stopped reading: its answer is what counts
                }
            }, "bad-input-writer");
            writer.setDaemon(true);
            writer.start();
            byte[] statusLine = new byte[12]; // "HTTP/1.1 400"
            int n = 0;
            java.io.InputStream in = socket.getInputStream();
            while (n < statusLine.length) {
                int read = in.read(statusLine, n, statusLine.length - n);
                if (read < 0) {
                    break;
                }
                n += read;
            }
            String line = new String(statusLine, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
            return n == statusLine.length && line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
