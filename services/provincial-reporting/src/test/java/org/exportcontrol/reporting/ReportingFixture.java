package org.exportcontrol.reporting;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.common.v1.Party;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.api.reporting.v1.*;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.exportcontrol.platform.testing.TestDatabase;

import com.google.type.Date;

import io.grpc.stub.AbstractStub;
import io.grpc.stub.StreamObserver;

/**
 * The set-up of the reporting tests: Jiangxi's facilities of a rare-earth chain, a licence from the
 * real licensing service, event builders and a provincial system's stream.
 */
final class ReportingFixture {

    static final String ENTERPRISE = "91360700MA0DEM013P";
    static final String MINE = "360000-MINE-001";
    static final String SEPARATION = "360000-SEP-001";
    static final String MAGNETS = "360000-MAG-001";
    static final String PORT = "360000-PORT-GZ";
    static final String GUANGXI_WAREHOUSE = "450000-WH-001";

    static <S extends AbstractStub<S>> S as(S stub, String user) {
        return GrpcAuth.bearer(stub, RealmTokens.user(user));
    }

    static <S extends AbstractStub<S>> S asSystem(S stub, String province) {
        return GrpcAuth.bearer(stub, RealmTokens.client("province-" + province + "-system"));
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    static void resetDatabase() {
        TestDatabase.reset("chain_event", "event_key", "lot", "lot_event", "lot_link", "lot_province", "shipment",
                "stock_movement", "stock_month", "export_declaration", "export_fact", "facility");
    }

    static void registerFacilities(FacilityServiceGrpc.FacilityServiceBlockingStub facilities) {
        var jiangxi = asSystem(facilities, "360000");
        register(jiangxi, MINE, FacilityKind.FACILITY_KIND_MINE, "Longnan ionic clay mine", "360000");
        register(jiangxi, SEPARATION, FacilityKind.FACILITY_KIND_SEPARATION_PLANT, "Ganzhou separation plant", "360000");
        register(jiangxi, MAGNETS, FacilityKind.FACILITY_KIND_MANUFACTURER, "Ganzhou NdFeB magnet works", "360000");
        register(jiangxi, PORT, FacilityKind.FACILITY_KIND_PORT, "Ganzhou International Land Port", "360000");
        register(asSystem(facilities, "450000"), GUANGXI_WAREHOUSE, FacilityKind.FACILITY_KIND_WAREHOUSE,
                "Chongzuo bonded warehouse", "450000");
    }

    private static void register(FacilityServiceGrpc.FacilityServiceBlockingStub stub, String id, FacilityKind kind,
            String name, String province) {
        stub.registerFacility(RegisterFacilityRequest.newBuilder().setRequestId(id())
                .setFacility(Facility.newBuilder().setId(id).setKind(kind).setName(name).setEnterpriseCreditCode(ENTERPRISE)
                        .setProvinceCode(province))
                .build());
    }

    /** A licence for 100 kg of dysprosium magnets to Germany, issued by the real licensing service. */
    static String licence(ApplicationServiceGrpc.ApplicationServiceBlockingStub applications,
            EnterpriseServiceGrpc.EnterpriseServiceBlockingStub enterprises) {
        resetLicensing();
        as(enterprises, "jx-licensing-officer").registerEnterprise(RegisterEnterpriseRequest.newBuilder().setRequestId(id())
                .setEnterprise(Enterprise.newBuilder().setCreditCode(ENTERPRISE).setName("Ganzhou Rare Earth Trading Co. (demo)")
                        .setProvinceCode("360000").addKinds(EnterpriseKind.ENTERPRISE_KIND_TRADER))
                .build());
        ApplicationContent content = ApplicationContent.newBuilder().setLicenceType(LicenceType.LICENCE_TYPE_SINGLE)
                .setExporterCreditCode(ENTERPRISE)
                .addLines(ApplicationLine.newBuilder().setItem(ItemRef.newBuilder().setItemCode("1C905").setTariffCode("2805301200"))
                        .setQuantity(kg("100")).setValue(Money.newBuilder().setAmount("450000").setCurrencyCode("CNY")))
                .setConsignee(Party.newBuilder().setName("Nordic Magnet Trading GmbH").setCountryCode("DE"))
                .setEndUser(Party.newBuilder().setName("Rheinland Motorenwerke AG").setCountryCode("DE"))
                .setEndUse("traction motors").setDestinationCountryCode("DE").setContractNumber("C-1")
                .setContractDate(Date.newBuilder().setYear(2026).setMonth(9).setDay(1)).setCustomsPort("Ganzhou")
                .setTransportMode(TransportMode.TRANSPORT_MODE_RAIL)
                .addDocuments(DocumentRef.newBuilder().setKind("end-user-certificate")
                        .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
                .build();
        var exporter = as(applications, "jx-exporter");
        String appId = exporter.createApplication(CreateApplicationRequest.newBuilder().setRequestId(id()).setContent(content)
                .build()).getApplication().getId();
        exporter.submitApplication(SubmitApplicationRequest.newBuilder().setRequestId(id()).setId(appId).build());
        as(applications, "jx-licensing-officer").reviewApplicationProvincially(ReviewApplicationProvinciallyRequest.newBuilder()
                .setRequestId(id()).setId(appId).setDecision(Decision.DECISION_APPROVE).build());
        return as(applications, "nat-licensing-reviewer").decideApplication(DecideApplicationRequest.newBuilder()
                .setRequestId(id()).setId(appId).setDecision(Decision.DECISION_APPROVE).build()).getApplication()
                .getLicenceNumber();
    }

    private static void resetLicensing() {
        var config = ConfigProvider.getConfig();
        String url = "jdbc:postgresql://" + config.getValue("platform.db.host", String.class) + ":"
                + config.getValue("platform.db.port", String.class) + "/licensing_test";
        try (Connection c = DriverManager.getConnection(url, config.getValue("quarkus.datasource.username", String.class), "");
                Statement s = c.createStatement()) {
            s.execute("truncate licence_usage, licence_line, licence, screening_hit, information_request, consultation,"
                    + " application, enterprise, watch_list_entry, embargoed_destination, audit_entry, peer_chain_head,"
                    + " outbox_message, idempotent_request cascade");
            s.execute("update audit_chain_head set sequence = 0, entry_hash = ''");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Quantity kg(String value) {
        return Quantity.newBuilder().setValue(value).setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM).build();
    }

    static ChainEvent.Builder event(String eventId, String facility, Instant at) {
        return ChainEvent.newBuilder().setEventId(eventId).setFacilityId(facility).setOccurredAt(Timestamps.of(at));
    }

    /** Streams events as a provincial system and returns every acknowledgement, in order. */
    static List<EventAck> stream(ChainEventServiceGrpc.ChainEventServiceStub stub, String province, List<ChainEvent> events)
            throws Exception {
        return stream(stub, province, events, 1);
    }

    /** What {@link #open} puts in its queue when the service completes the stream. */
    private static final Object COMPLETED = new Object();

    /**
     * Opens a stream as the province's system; its queue receives each response's acknowledgements
     * (a list), the stream's error (a throwable) or {@link #COMPLETED}.
     */
    private static StreamObserver<StreamChainEventsRequest> open(ChainEventServiceGrpc.ChainEventServiceStub stub,
            String province, java.util.concurrent.BlockingQueue<Object> responses) {
        return asSystem(stub, province).streamChainEvents(new StreamObserver<>() {
            @Override
            public void onNext(StreamChainEventsResponse value) {
                responses.add(value.getAcksList());
            }

            @Override
            public void onError(Throwable t) {
                responses.add(t);
            }

            @Override
            public void onCompleted() {
                responses.add(COMPLETED);
            }
        });
    }

    /**
     * Streams messages over one stream, each sent only once the one before is acknowledged, so that
     * each is a batch of its own. Returns the acknowledgements of each message.
     */
    static List<List<EventAck>> streamOneByOne(ChainEventServiceGrpc.ChainEventServiceStub stub, String province,
            List<List<ChainEvent>> messages) throws Exception {
        java.util.concurrent.BlockingQueue<Object> responses = new java.util.concurrent.LinkedBlockingQueue<>();
        StreamObserver<StreamChainEventsRequest> requests = open(stub, province, responses);
        List<List<EventAck>> acks = new ArrayList<>();
        for (List<ChainEvent> message : messages) {
            requests.onNext(StreamChainEventsRequest.newBuilder().addAllEvents(message).build());
            Object response = responses.poll(60, TimeUnit.SECONDS);
            if (!(response instanceof List<?> list)) {
                throw new AssertionError("no acknowledgement for " + message.size() + " events: " + response);
            }
            acks.add(list.stream().map(EventAck.class::cast).toList());
        }
        requests.onCompleted();
        return acks;
    }

    /** Streams events, {@code perMessage} events in each request message. */
    static List<EventAck> stream(ChainEventServiceGrpc.ChainEventServiceStub stub, String province, List<ChainEvent> events,
            int perMessage) throws Exception {
        java.util.concurrent.BlockingQueue<Object> responses = new java.util.concurrent.LinkedBlockingQueue<>();
        StreamObserver<StreamChainEventsRequest> requests = open(stub, province, responses);
        for (int i = 0; i < events.size(); i += perMessage) {
            requests.onNext(StreamChainEventsRequest.newBuilder()
                    .addAllEvents(events.subList(i, Math.min(events.size(), i + perMessage))).build());
        }
        requests.onCompleted();
        List<EventAck> acks = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Object response = responses.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (response == COMPLETED) {
                return acks;
            } else if (response instanceof List<?> list) {
                list.forEach(a -> acks.add((EventAck) a));
            } else if (response instanceof Throwable t) {
                throw new java.util.concurrent.ExecutionException("the stream failed", t);
            } else {
                throw new java.util.concurrent.TimeoutException("the stream did not complete in 60 s: " + response);
            }
        }
    }

}
