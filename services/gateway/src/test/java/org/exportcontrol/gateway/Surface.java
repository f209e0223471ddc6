package org.exportcontrol.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.exportcontrol.api.common.v1.AuditServiceGrpc;
import org.exportcontrol.api.common.v1.ChainHead;
import org.exportcontrol.api.common.v1.GetAuditChainHeadRequest;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * What the access matrix and the bad-input tests share: the platform's whole gRPC surface read from
 * the generated proto descriptors, the expected-outcome table read from docs/security-model.md, the
 * demo callers, and a raw gRPC call that sends any bytes to any method and reports the first status.
 */
final class Surface {

    static final Path REPO = Path.of("..", "..").toAbsolutePath().normalize();
    static final Path PROTO_ROOT = REPO.resolve("proto/src/main/proto/exportcontrol");
    static final Path SECURITY_MODEL = REPO.resolve("docs/security-model.md");

    /** Every person's role (the table's alias {@code people}). */
    static final Set<String> PEOPLE = Set.of("national-coordinator", "licensing-officer", "licensing-reviewer",
            "provincial-supervisor", "inspector", "enforcement-officer", "department-officer", "quota-officer", "analyst",
            "auditor", "exporter");

    /** Demo users per role (Jiangxi, Hunan, national where the realm has them) and the service accounts. */
    static final List<String> USERS = List.of("nat-coordinator", "nat-licensing-officer", "jx-licensing-officer",
            "hn-licensing-officer", "nat-licensing-reviewer", "jx-supervisor", "hn-supervisor", "jx-inspector", "hn-inspector",
            "nat-enforcement-officer", "jx-enforcement-officer", "hn-enforcement-officer", "nat-customs-officer",
            "jx-customs-officer", "hn-customs-officer", "nat-industry-officer", "nat-analyst", "nat-auditor", "jx-exporter",
            "hn-exporter");
    static final List<String> CLIENTS = List.of("province-360000-system", "province-430000-system", "licensing-service",
            "reporting-service", "enforcement-service", "notification-service", "gateway");

    private Surface() {
    }

    // ---------------------------------------------------------------- gRPC surface

    /** One gRPC method and the services (gateway gRPC client names, or "gateway") that serve it. */
    record Rpc(ServiceDescriptor service, MethodDescriptor method, List<String> servedBy) {
        String key() {
            return service.getName() + "/" + method.getName();
        }

        String fullName() {
            return io.grpc.MethodDescriptor.generateFullMethodName(service.getFullName(), method.getName());
        }

        io.grpc.MethodDescriptor.MethodType type() {
            boolean in = method.isClientStreaming();
            boolean out = method.isServerStreaming();
            return in && out ? io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING
                    : in ? io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING
                            : out ? io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING
                                    : io.grpc.MethodDescriptor.MethodType.UNARY;
        }

        Descriptor input() {
            return method.getInputType();
        }

        /** A request carries a request id (AIP-155) or the method's verb is not a read: it changes state. */
        boolean writes() {
            return input().findFieldByName("request_id") != null
                    || !method.getName().matches("(Get|List|Verify|Trace|Subscribe).*");
        }
    }

    /**
     * Every method of every service of proto/src/main/proto/exportcontrol/, from the descriptors of
     * the generated classes (each .proto file's outer class {@code <Name>Proto}); a .proto file
     * without its generated descriptor fails.
     */
    static List<Rpc> rpcs() {
        List<Rpc> rpcs = new ArrayList<>();
        for (FileDescriptor file : protoFiles()) {
            String domain = file.getPackage().split("\\.")[1];
            for (ServiceDescriptor service : file.getServices()) {
                List<String> servedBy = switch (domain) {
                    case "common" -> List.of("licensing", "reporting", "enforcement", "notification", "gateway");
                    case "licensing" -> List.of("licensing");
                    case "reporting" -> List.of("reporting");
                    case "enforcement" -> List.of("enforcement");
                    case "notification" -> List.of("notification");
                    default -> throw new AssertionError("no service is known to serve " + service.getFullName());
                };
                for (MethodDescriptor method : service.getMethods()) {
                    rpcs.add(new Rpc(service, method, servedBy));
                }
            }
        }
        return rpcs;
    }

    static List<FileDescriptor> protoFiles() {
        try (Stream<Path> files = Files.walk(PROTO_ROOT)) {
            List<FileDescriptor> descriptors = new ArrayList<>();
            for (Path proto : files.filter(p -> p.toString().endsWith(".proto")).sorted().toList()) {
                Path relative = PROTO_ROOT.relativize(proto);
                String domain = relative.getName(0).toString();
                String version = relative.getName(1).toString();
                String base = proto.getFileName().toString().replace(".proto", "");
                String outer = Arrays.stream(base.split("_")).map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
                        .collect(Collectors.joining()) + "Proto";
                String className = "org.exportcontrol.api." + domain + "." + version + "." + outer;
                try {
                    descriptors.add((FileDescriptor) Class.forName(className).getMethod("getDescriptor").invoke(null));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(relative + " has no generated descriptor " + className, e);
                }
            }
            return descriptors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ManagedChannel channel(String servedBy, int gatewayPort) {
        int port = "gateway".equals(servedBy) ? gatewayPort : BackendServices.PORTS.get(servedBy);
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
    }

    // ---------------------------------------------------------------- the expected-outcome table

    /** One row of the machine-readable access matrix in docs/security-model.md. */
    record Rule(String key, Set<String> roles, String scope, int line) {
        boolean anyToken() {
            return roles.contains("any");
        }

        boolean allowsRoleOf(Caller caller) {
            return anyToken() || caller.roles().stream().anyMatch(roles::contains);
        }
    }

    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+) \\| `(all|national|own|self)`[^|]*\\|\\s*$");

    /** The rows of the "Access matrix (machine-readable)" section, by method ("Service/Method") or endpoint ("GET /path"). */
    static Map<String, Rule> rules() {
        List<String> lines;
        try {
            lines = Files.readAllLines(SECURITY_MODEL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Rule> rules = new LinkedHashMap<>();
        boolean inSection = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                inSection = line.startsWith("## Access matrix (machine-readable)");
                continue;
            }
            if (!inSection || !line.startsWith("| `")) {
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("docs/security-model.md:" + (i + 1) + " is not a row 'method or endpoint | roles | `scope`': " + line);
            }
            Set<String> roles = new LinkedHashSet<>();
            for (String role : m.group(2).split(",")) {
                String r = role.trim();
                if (r.equals("people")) {
                    roles.addAll(PEOPLE);
                } else if (!r.isEmpty()) {
                    roles.add(r);
                }
            }
            if (rules.put(m.group(1), new Rule(m.group(1), roles, m.group(3), i + 1)) != null) {
                throw new AssertionError("docs/security-model.md:" + (i + 1) + " repeats " + m.group(1));
            }
        }
        if (rules.isEmpty()) {
            throw new AssertionError("docs/security-model.md has no 'Access matrix (machine-readable)' table");
        }
        return rules;
    }

    // ---------------------------------------------------------------- callers

    record Caller(String name, String token, Set<String> roles, String jurisdiction) {
        /**
         * A token that is valid now: {@link #token} is the one read at the start, which expires
         * (minutes); a long run (the 10,000-case sweep) asks here, RealmTokens renews before expiry.
         */
        String currentToken() {
            return client(name) ? RealmTokens.client(name) : RealmTokens.user(name);
        }

        boolean national() {
            return "national".equals(jurisdiction);
        }

        boolean person() {
            return roles.stream().anyMatch(PEOPLE::contains);
        }
    }

    private static boolean client(String name) {
        return name.contains("-system") || name.endsWith("-service") || name.equals("gateway");
    }

    static Caller caller(String name) {
        String token = client(name) ? RealmTokens.client(name) : RealmTokens.user(name);
        JsonNode claims = RealmTokens.claims(token);
        Set<String> roles = new LinkedHashSet<>();
        claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
        return new Caller(name, token, roles, claims.path("jurisdiction").asText(""));
    }

    static List<Caller> callers() {
        List<Caller> callers = new ArrayList<>();
        USERS.forEach(u -> callers.add(caller(u)));
        CLIENTS.forEach(c -> callers.add(caller(c)));
        return callers;
    }

    /** A caller the rule lets through at the national level (or in Jiangxi), preferring people. */
    static Caller allowedCaller(Rule rule, List<Caller> callers) {
        return callers.stream().filter(rule::allowsRoleOf).filter(c -> !"national".equals(rule.scope()) || c.national())
                .sorted((a, b) -> Boolean.compare(b.national(), a.national())).findFirst()
                .orElseThrow(() -> new AssertionError("no demo caller has a role of " + rule.key() + ": " + rule.roles()));
    }

    // ---------------------------------------------------------------- raw gRPC

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private static final io.grpc.MethodDescriptor.Marshaller<byte[]> BYTES = new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /**
     * Sends {@code request} (any bytes) to the method with the token (none if null) and answers the
     * first status: the close status, or OK as soon as a streaming method sends its first message.
     * {@code deadlineMillis <= 0}: no deadline at all (the caller waits up to two minutes).
     */
    static Status call(Channel channel, Rpc rpc, byte[] request, String token, long deadlineMillis) {
        io.grpc.MethodDescriptor<byte[], byte[]> method = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(rpc.type()).setFullMethodName(rpc.fullName())
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        CallOptions options = deadlineMillis > 0 ? CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                : CallOptions.DEFAULT;
        ClientCall<byte[], byte[]> call = channel.newCall(method, options);
        CompletableFuture<Status> first = new CompletableFuture<>();
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
        boolean streaming = rpc.type() != io.grpc.MethodDescriptor.MethodType.UNARY;
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                if (streaming && first.complete(Status.OK)) {
                    call.cancel("the first answer is enough", null);
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                first.complete(status);
            }
        }, headers);
        call.request(2);
        call.sendMessage(request);
        call.halfClose();
        try {
            return first.get(deadlineMillis > 0 ? deadlineMillis + 15_000 : 120_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel("no status in time", null);
            return Status.DEADLINE_EXCEEDED.withDescription("the test's own wait ran out (no status from the server)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The head of a service's audit chain, read as the national auditor. */
    static ChainHead head(Channel channel) {
        return GrpcAuth.bearer(AuditServiceGrpc.newBlockingStub(channel), RealmTokens.user("nat-auditor"))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getAuditChainHead(GetAuditChainHeadRequest.getDefaultInstance()).getHead();
    }
}
