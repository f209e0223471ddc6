package org.exportcontrol.reporting;

import static org.exportcontrol.reporting.ReportingFixture.ENTERPRISE;
import static org.exportcontrol.reporting.ReportingFixture.GUANGXI_WAREHOUSE;
import static org.exportcontrol.reporting.ReportingFixture.MAGNETS;
import static org.exportcontrol.reporting.ReportingFixture.MINE;
import static org.exportcontrol.reporting.ReportingFixture.PORT;
import static org.exportcontrol.reporting.ReportingFixture.SEPARATION;
import static org.exportcontrol.reporting.ReportingFixture.as;
import static org.exportcontrol.reporting.ReportingFixture.asSystem;
import static org.exportcontrol.reporting.ReportingFixture.event;
import static org.exportcontrol.reporting.ReportingFixture.kg;
import static org.exportcontrol.reporting.ReportingFixture.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.licensing.v1.ApplicationServiceGrpc;
import org.exportcontrol.api.licensing.v1.EnterpriseServiceGrpc;
import org.exportcontrol.api.reporting.v1.*;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A Jiangxi chain streamed in by the province's system with its real service-account token:
 * mine -> separation plant -> magnet works -> land port -> export declaration (checked against a
 * real licence by the real licensing service) -> export.
 */
@QuarkusTest
@QuarkusTestResource(LicensingProcess.class)
class ChainIngestTest {

    @GrpcClient("reporting")
    io.grpc.Channel reporting;
    @GrpcClient("reporting")
    ChainEventServiceGrpc.ChainEventServiceBlockingStub eventsBlocking;
    @GrpcClient("reporting")
    FacilityServiceGrpc.FacilityServiceBlockingStub facilities;
    @GrpcClient("licensing")
    ApplicationServiceGrpc.ApplicationServiceBlockingStub applications;
    @GrpcClient("licensing")
    EnterpriseServiceGrpc.EnterpriseServiceBlockingStub enterprises;

    String licence;
    final Instant t0 = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void setUp() {
        ReportingFixture.resetDatabase();
        ReportingFixture.registerFacilities(facilities);
        licence = ReportingFixture.licence(applications, enterprises);
    }

    List<ChainEvent> jiangxiChain() {
        return List.of(
                event("JX-EV-0001", MINE, at(0)).setExtracted(Extracted.newBuilder().setLotId("360000-LOT-CONC-1")
                        .setMaterial("ionic rare earth concentrate").setQuantity(kg("10000"))).build(),
                event("JX-EV-0002", MINE, at(1)).setShipped(shipped("360000-SHP-1", "360000-LOT-CONC-1", "10000", SEPARATION)).build(),
                event("JX-EV-0003", SEPARATION, at(6)).setReceived(Received.newBuilder().setShipmentId("360000-SHP-1")
                        .setWeighedQuantity(kg("9990"))).build(),
                event("JX-EV-0004", SEPARATION, at(30)).setProcessed(Processed.newBuilder()
                        .addInputs(LotQuantity.newBuilder().setLotId("360000-LOT-CONC-1").setQuantity(kg("9990")))
                        .addOutputs(ProducedLot.newBuilder().setLotId("360000-LOT-DYOX-1").setMaterial("dysprosium oxide")
                                .setItemCode("1C905").setQuantity(kg("120")))
                        .addOutputs(ProducedLot.newBuilder().setLotId("360000-LOT-REO-1").setMaterial("mixed rare earth oxides")
                                .setQuantity(kg("9700")))).build(),
                event("JX-EV-0005", SEPARATION, at(40)).setShipped(shipped("360000-SHP-2", "360000-LOT-DYOX-1", "120", MAGNETS)).build(),
                event("JX-EV-0006", MAGNETS, at(44)).setReceived(Received.newBuilder().setShipmentId("360000-SHP-2")
                        .setWeighedQuantity(kg("120"))).build(),
                event("JX-EV-0007", MAGNETS, at(60)).setProcessed(Processed.newBuilder()
                        .addInputs(LotQuantity.newBuilder().setLotId("360000-LOT-DYOX-1").setQuantity(kg("120")))
                        .addOutputs(ProducedLot.newBuilder().setLotId("360000-LOT-DYMET-1").setMaterial("dysprosium metal")
                                .setItemCode("1C905").setQuantity(kg("100")))).build(),
                event("JX-EV-0008", MAGNETS, at(70)).setShipped(shipped("360000-SHP-3", "360000-LOT-DYMET-1", "100", PORT)).build(),
                event("JX-EV-0009", PORT, at(75)).setReceived(Received.newBuilder().setShipmentId("360000-SHP-3")
                        .setWeighedQuantity(kg("100"))).build(),
                event("JX-EV-0010", PORT, at(80)).setExportDeclared(declared("JX-DECL-2026-000001", "360000-LOT-DYMET-1", "100", "DE"))
                        .build(),
                event("JX-EV-0011", PORT, at(90)).setExported(Exported.newBuilder().setDeclarationId("JX-DECL-2026-000001")
                        .setLotId("360000-LOT-DYMET-1").setQuantity(kg("100")).setCarrierDestinationCountryCode("DE")
                        .setVesselOrFlight("X8024 Ganzhou-Duisburg")).build());
    }

    @Test
    void aRealisticChainIsStreamedInAndItsTraceReadBackWhole() throws Exception {
        List<EventAck> acks = stream(ChainEventServiceGrpc.newStub(reporting), "360000", jiangxiChain());
        assertEquals(11, acks.size());
        assertTrue(acks.stream().allMatch(a -> a.getResult() == EventResult.EVENT_RESULT_ACCEPTED), acks.toString());
        assertEquals("ACCEPTED", acks.get(9).getLicenceAnswer(), "licensing took the declaration off the licence");

        TraceLotResponse trace = as(eventsBlocking, "nat-enforcement-officer")
                .traceLot(TraceLotRequest.newBuilder().setLotId("360000-LOT-DYMET-1").build());
        assertEquals(List.of("360000-LOT-CONC-1", "360000-LOT-DYMET-1", "360000-LOT-DYOX-1"),
                trace.getLotsList().stream().map(Lot::getLotId).toList());
        assertEquals(List.of("JX-EV-0001", "JX-EV-0002", "JX-EV-0003", "JX-EV-0004", "JX-EV-0005", "JX-EV-0006",
                "JX-EV-0007", "JX-EV-0008", "JX-EV-0009", "JX-EV-0010", "JX-EV-0011"),
                trace.getStepsList().stream().map(TraceStep::getEventId).toList(), "from mine to export, in time order");
        Lot exported = trace.getLotsList().stream().filter(l -> l.getLotId().equals("360000-LOT-DYMET-1")).findFirst().orElseThrow();
        assertEquals(LotStatus.LOT_STATUS_EXPORTED, exported.getStatus());
        assertEquals("0", exported.getRemaining().getValue());
        assertTrue(TestDatabase.count("select count(*) from audit_entry where action = 'chain-events.ingest'") >= 1,
                "batches are audited");
    }

    @Test
    void aNewLotsTraceIsReadByTheProvinceThatCreatedItAndNoOther() throws Exception {
        // its creation is on the lot's own row (no lot-event or lot-province row): still in the trace
        List<EventAck> acks = stream(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(event("JX-EV-0900", MINE, at(1))
                .setExtracted(Extracted.newBuilder().setLotId("360000-LOT-NEW-1").setMaterial("ionic rare earth concentrate")
                        .setQuantity(kg("800"))).build()));
        assertEquals(EventResult.EVENT_RESULT_ACCEPTED, acks.get(0).getResult());
        TraceLotResponse trace = asSystem(eventsBlocking, "360000").traceLot(TraceLotRequest.newBuilder()
                .setLotId("360000-LOT-NEW-1").build());
        assertEquals(List.of("JX-EV-0900"), trace.getStepsList().stream().map(TraceStep::getEventId).toList());
        assertEquals(acks.get(0).getRecordId(), trace.getSteps(0).getRecordId());
        StatusRuntimeException hunan = assertThrows(StatusRuntimeException.class, () -> asSystem(eventsBlocking, "430000")
                .getLot(GetLotRequest.newBuilder().setLotId("360000-LOT-NEW-1").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, hunan.getStatus().getCode());
    }

    @Test
    void aBatchStartedBesideTheOneBeforeItRunsAgainIfItDependsOnIt() throws Exception {
        // 500 extractions, then their 500 shipments (which need those lots), 1,500 independent
        // extractions, then the 500 receipts: the second batch starts while the first is stored,
        // finds it names lots the first creates, and runs again once the first has committed
        List<ChainEvent> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            events.add(event("PL-X-" + i, MINE, at(0)).setExtracted(Extracted.newBuilder().setLotId("360000-PL-A-" + i)
                    .setMaterial("ionic rare earth concentrate").setQuantity(kg("100"))).build());
        }
        for (int i = 0; i < 500; i++) {
            events.add(event("PL-S-" + i, MINE, at(1)).setShipped(shipped("360000-PL-SHP-" + i, "360000-PL-A-" + i, "100",
                    SEPARATION)).build());
        }
        for (int i = 0; i < 1500; i++) {
            events.add(event("PL-B-" + i, MINE, at(2)).setExtracted(Extracted.newBuilder().setLotId("360000-PL-B-" + i)
                    .setMaterial("ionic rare earth concentrate").setQuantity(kg("50"))).build());
        }
        for (int i = 0; i < 500; i++) {
            events.add(event("PL-R-" + i, SEPARATION, at(3)).setReceived(Received.newBuilder().setShipmentId("360000-PL-SHP-" + i)
                    .setWeighedQuantity(kg("100"))).build());
        }
        double overlapped = org.exportcontrol.platform.testing.Metrics.value("reporting_ingest_batches_overlapped_total");
        double reruns = org.exportcontrol.platform.testing.Metrics.value("reporting_ingest_batches_overlap_reruns_total");

        List<EventAck> acks = stream(ChainEventServiceGrpc.newStub(reporting), "360000", events, 500);

        assertEquals(events.stream().map(ChainEvent::getEventId).toList(), acks.stream().map(EventAck::getEventId).toList(),
                "acknowledged in stream order");
        assertTrue(acks.stream().allMatch(a -> a.getResult() == EventResult.EVENT_RESULT_ACCEPTED),
                acks.stream().filter(a -> a.getResult() != EventResult.EVENT_RESULT_ACCEPTED).limit(3).toList().toString());
        assertEquals(500, TestDatabase.count("select count(*) from lot where facility_id = '" + SEPARATION
                + "' and status = 'HELD' and lot_id like '360000-PL-A-%'"));
        assertEquals(1500, TestDatabase.count("select count(*) from lot where facility_id = '" + MINE
                + "' and status = 'HELD' and lot_id like '360000-PL-B-%'"));
        assertEquals(0, TestDatabase.count("select count(*) from chain_event where status = 'PARKED'"));
        assertEquals(3000, TestDatabase.count("select count(*) from chain_event"));
        assertTrue(org.exportcontrol.platform.testing.Metrics.value("reporting_ingest_batches_overlapped_total") > overlapped,
                "a batch started while the one before it was stored");
        assertTrue(org.exportcontrol.platform.testing.Metrics.value("reporting_ingest_batches_overlap_reruns_total") > reruns,
                "the shipments' batch overlapped the extractions' and ran again");
    }

    @Test
    void theSameStreamSentTwiceStoresEachEventOnce() throws Exception {
        List<EventAck> first = stream(ChainEventServiceGrpc.newStub(reporting), "360000", jiangxiChain());
        List<EventAck> again = stream(ChainEventServiceGrpc.newStub(reporting), "360000", jiangxiChain());
        assertTrue(again.stream().allMatch(a -> a.getResult() == EventResult.EVENT_RESULT_DUPLICATE), again.toString());
        assertEquals(first.stream().map(EventAck::getRecordId).toList(), again.stream().map(EventAck::getRecordId).toList(),
                "a duplicate is acknowledged with the id it was stored under");
        assertEquals(11, TestDatabase.count("select count(*) from chain_event"));
        assertEquals(1, TestDatabase.count("select count(*) from export_declaration"));
    }

    @Test
    void eventsResentAfterAFreshBatchAreAcknowledgedAsDuplicates() throws Exception {
        List<EventAck> first = stream(ChainEventServiceGrpc.newStub(reporting), "360000", jiangxiChain().subList(0, 4));
        double retries = retries();
        // after a batch without duplicates a stream skips the key look-up; a client that lost its
        // acknowledgements resends events among new ones
        List<List<EventAck>> acks = ReportingFixture.streamOneByOne(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(
                List.of(extracted("JX-EV-0400", "360000-LOT-CONC-40", "40", 2)),
                // a shipment and a receipt the custody rules would now reject: their keys are looked up
                List.of(jiangxiChain().get(1), extracted("JX-EV-0401", "360000-LOT-CONC-41", "41", 3), jiangxiChain().get(2)),
                List.of(extracted("JX-EV-0402", "360000-LOT-CONC-42", "42", 4)),
                // an extraction that would apply again: its stored key stops the batch, which runs again
                List.of(extracted("JX-EV-0403", "360000-LOT-CONC-43", "43", 5), jiangxiChain().get(0))));
        assertEquals(List.of(List.of("ACCEPTED"), List.of("DUPLICATE", "ACCEPTED", "DUPLICATE"), List.of("ACCEPTED"),
                List.of("ACCEPTED", "DUPLICATE")), acks.stream().map(message -> message.stream()
                        .map(a -> a.getResult().name().substring("EVENT_RESULT_".length())).toList()).toList());
        assertEquals(List.of(first.get(1).getRecordId(), first.get(2).getRecordId(), first.get(0).getRecordId()),
                List.of(acks.get(1).get(0).getRecordId(), acks.get(1).get(2).getRecordId(), acks.get(3).get(1).getRecordId()),
                "acknowledged with the ids they were stored under");
        assertEquals(8, TestDatabase.count("select count(*) from chain_event"));
        assertEquals(7, TestDatabase.count("select count(*) from lot"), "three lots of the chain, four new");
        assertEquals(List.of("41", "43"), List.of(remaining("360000-LOT-CONC-41"), remaining("360000-LOT-CONC-43")));
        assertEquals(retries + 1, retries(), "only the last batch met a stored key and ran again with the look-ups");
    }

    @Test
    void aLotExtractedAgainIsRejectedAndTheFirstIsKept() throws Exception {
        stream(ChainEventServiceGrpc.newStub(reporting), "360000", jiangxiChain().subList(0, 1));
        List<List<EventAck>> acks = ReportingFixture.streamOneByOne(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(
                List.of(extracted("JX-EV-0410", "360000-LOT-CONC-42", "42", 2)),
                List.of(extracted("JX-EV-0411", "360000-LOT-CONC-1", "5", 3))));
        assertEquals(EventResult.EVENT_RESULT_REJECTED, acks.get(1).get(0).getResult());
        assertEquals("LOT_EXISTS", acks.get(1).get(0).getReason());
        assertEquals("10000", remaining("360000-LOT-CONC-1"));
        assertEquals(2, TestDatabase.count("select count(*) from chain_event"));
    }

    @Test
    void aParkedEventThatWouldCreateAnExistingLotDoesNotReplaceIt() throws Exception {
        stream(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(extracted("JX-EV-0420", "360000-LOT-Y", "50", 0)));
        // processing waits for its input, and names an output that exists
        List<EventAck> parked = stream(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(event("JX-EV-0421", MINE, at(3))
                .setProcessed(Processed.newBuilder()
                        .addInputs(LotQuantity.newBuilder().setLotId("360000-LOT-X").setQuantity(kg("20")))
                        .addOutputs(ProducedLot.newBuilder().setLotId("360000-LOT-Y").setMaterial("concentrate")
                                .setQuantity(kg("19")))).build()));
        assertEquals(EventResult.EVENT_RESULT_PARKED, parked.get(0).getResult());
        // the input arrives in a later batch: the parked event is tried again and must not apply
        List<EventAck> input = stream(ChainEventServiceGrpc.newStub(reporting), "360000",
                List.of(extracted("JX-EV-0422", "360000-LOT-X", "20", 1)));
        assertEquals(EventResult.EVENT_RESULT_ACCEPTED, input.get(0).getResult());
        assertEquals("50", remaining("360000-LOT-Y"));
        assertEquals("20", remaining("360000-LOT-X"));
        assertEquals(1, TestDatabase.count("select count(*) from chain_event where status = 'PARKED'"));
    }

    @Test
    void hunansSystemCannotReportAJiangxiFacilitysEvent() throws Exception {
        List<EventAck> acks = stream(ChainEventServiceGrpc.newStub(reporting), "430000", List.of(event("HN-EV-0001", MINE, at(0))
                .setExtracted(Extracted.newBuilder().setLotId("430000-LOT-X").setMaterial("concentrate").setQuantity(kg("5")))
                .build()));
        assertEquals(EventResult.EVENT_RESULT_REJECTED, acks.get(0).getResult());
        assertEquals("FACILITY_OUTSIDE_JURISDICTION", acks.get(0).getReason());
        assertEquals(0, TestDatabase.count("select count(*) from chain_event"));
        // the operators' alert on refused events selects a series this service exports
        java.util.regex.Matcher selector = java.util.regex.Pattern.compile("reporting_events_ingested_total\\{(\\w+)=\"(\\w+)\"}")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("../../deploy/prometheus/export-control-alerts.yaml")));
        assertTrue(selector.find(), "the ingest alert selects refused events by a label");
        assertTrue(org.exportcontrol.platform.testing.Metrics.value("reporting_events_ingested_total", selector.group(1),
                selector.group(2)) >= 1, "the refusal is counted under the alert's " + selector.group());

        StatusRuntimeException officer = assertThrows(StatusRuntimeException.class, () -> as(eventsBlocking,
                "jx-enforcement-officer").submitChainEvent(SubmitChainEventRequest.newBuilder()
                        .setEvent(jiangxiChain().get(0)).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, officer.getStatus().getCode(), "people do not report events");
    }

    @Test
    void aReceiptBeforeItsShipmentIsParkedThenApplied() throws Exception {
        stream(ChainEventServiceGrpc.newStub(reporting), "360000", jiangxiChain().subList(0, 4));
        List<EventAck> early = stream(ChainEventServiceGrpc.newStub(reporting), "450000", List.of(event("GX-EV-0001", GUANGXI_WAREHOUSE, at(50))
                .setReceived(Received.newBuilder().setShipmentId("360000-SHP-GX-1").setWeighedQuantity(kg("9700"))).build()));
        assertEquals(EventResult.EVENT_RESULT_PARKED, early.get(0).getResult());

        List<EventAck> shipment = stream(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(event("JX-EV-0100", SEPARATION, at(45))
                .setShipped(shipped("360000-SHP-GX-1", "360000-LOT-REO-1", "9700", GUANGXI_WAREHOUSE)).build()));
        assertEquals(EventResult.EVENT_RESULT_ACCEPTED, shipment.get(0).getResult());

        Lot lot = asSystem(eventsBlocking, "450000").getLot(GetLotRequest.newBuilder().setLotId("360000-LOT-REO-1").build()).getLot();
        assertEquals(LotStatus.LOT_STATUS_HELD, lot.getStatus());
        assertEquals(GUANGXI_WAREHOUSE, lot.getFacilityId(), "the parked receipt was applied");
        assertEquals(0, TestDatabase.count("select count(*) from chain_event where status = 'PARKED'"));

        // Guangxi may read the trace of a lot that passed through it; Hunan may not
        assertTrue(asSystem(eventsBlocking, "450000").traceLot(TraceLotRequest.newBuilder().setLotId("360000-LOT-REO-1")
                .build()).getStepsCount() >= 5);
        StatusRuntimeException hunan = assertThrows(StatusRuntimeException.class, () -> asSystem(eventsBlocking, "430000")
                .traceLot(TraceLotRequest.newBuilder().setLotId("360000-LOT-REO-1").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, hunan.getStatus().getCode());
    }

    @Test
    void aReceiptInALaterBatchThanItsShipmentIsApplied() throws Exception {
        stream(ChainEventServiceGrpc.newStub(reporting), "360000", jiangxiChain().subList(0, 4));
        List<EventAck> shipment = stream(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(event("JX-EV-0200", SEPARATION, at(45))
                .setShipped(shipped("360000-SHP-GX-2", "360000-LOT-REO-1", "9700", GUANGXI_WAREHOUSE)).build()));
        assertEquals(EventResult.EVENT_RESULT_ACCEPTED, shipment.get(0).getResult());

        // another stream, another batch: the receipt names only the shipment, not its lot
        List<EventAck> receipt = stream(ChainEventServiceGrpc.newStub(reporting), "450000", List.of(event("GX-EV-0200", GUANGXI_WAREHOUSE, at(50))
                .setReceived(Received.newBuilder().setShipmentId("360000-SHP-GX-2").setWeighedQuantity(kg("9690"))).build()));
        assertEquals(EventResult.EVENT_RESULT_ACCEPTED, receipt.get(0).getResult(), receipt.get(0).getMessage());

        Lot lot = asSystem(eventsBlocking, "450000").getLot(GetLotRequest.newBuilder().setLotId("360000-LOT-REO-1").build()).getLot();
        assertEquals(LotStatus.LOT_STATUS_HELD, lot.getStatus());
        assertEquals(GUANGXI_WAREHOUSE, lot.getFacilityId());
        assertEquals("9690", lot.getRemaining().getValue());
    }

    @Test
    void custodyRulesRejectWithAReasonAndTheStreamGoesOn() throws Exception {
        List<ChainEvent> mixed = new ArrayList<>(jiangxiChain().subList(0, 2));
        // the mine no longer holds the concentrate: it is in transit
        mixed.add(event("JX-EV-0200", MINE, at(2)).setShipped(shipped("360000-SHP-9", "360000-LOT-CONC-1", "10000",
                MAGNETS)).build());
        // malformed: no quantity
        mixed.add(event("JX-EV-0201", MINE, at(3)).setExtracted(Extracted.newBuilder().setLotId("360000-LOT-CONC-2")
                .setMaterial("concentrate")).build());
        // a future timestamp
        mixed.add(event("JX-EV-0202", MINE, Instant.now().plus(Duration.ofHours(2))).setExtracted(Extracted.newBuilder()
                .setLotId("360000-LOT-CONC-3").setMaterial("concentrate").setQuantity(kg("1"))).build());
        mixed.add(jiangxiChain().get(2));
        List<EventAck> acks = stream(ChainEventServiceGrpc.newStub(reporting), "360000", mixed);
        Map<String, String> outcome = acks.stream().collect(Collectors.toMap(EventAck::getEventId,
                a -> a.getResult().name().substring(13) + (a.getReason().isEmpty() ? "" : ":" + a.getReason())));
        assertEquals(Map.of("JX-EV-0001", "ACCEPTED", "JX-EV-0002", "ACCEPTED", "JX-EV-0200", "REJECTED:NOT_HOLDER",
                "JX-EV-0201", "REJECTED:INVALID_EVENT", "JX-EV-0202", "REJECTED:INVALID_EVENT", "JX-EV-0003", "ACCEPTED"),
                outcome);
        assertTrue(acks.get(3).getMessage().contains("extracted.quantity.value"), acks.get(3).getMessage());
    }

    @Test
    void anEventWithATimeBeyondYear9999OrANulIsRejectedAndTheStreamGoesOn() throws Exception {
        // found by the bad-input test: such an event failed its whole batch as UNAVAILABLE, so a
        // client resending from its first unacknowledged event could never get past it
        List<ChainEvent> mixed = new ArrayList<>(jiangxiChain().subList(0, 1));
        mixed.add(event("JX-EV-0300", MINE, at(2)).setOccurredAt(com.google.protobuf.Timestamp.newBuilder()
                .setSeconds(Long.MAX_VALUE / 2)).setExtracted(Extracted.newBuilder().setLotId("360000-LOT-CONC-4")
                        .setMaterial("concentrate").setQuantity(kg("1"))).build());
        mixed.add(event("JX-EV-0301", MINE, at(3)).setExtracted(Extracted.newBuilder().setLotId("360000-LOT-CONC-5")
                .setMaterial("concen\u0000trate").setQuantity(kg("1"))).build());
        mixed.add(jiangxiChain().get(1));
        List<EventAck> acks = stream(ChainEventServiceGrpc.newStub(reporting), "360000", mixed);
        Map<String, String> outcome = acks.stream().collect(Collectors.toMap(EventAck::getEventId,
                a -> a.getResult().name().substring(13) + (a.getReason().isEmpty() ? "" : ":" + a.getReason())));
        assertEquals(Map.of("JX-EV-0001", "ACCEPTED", "JX-EV-0300", "REJECTED:INVALID_EVENT",
                "JX-EV-0301", "REJECTED:INVALID_EVENT", "JX-EV-0002", "ACCEPTED"), outcome);
        assertTrue(acks.get(1).getMessage().startsWith("occurred_at: "), acks.get(1).getMessage());
        assertTrue(acks.get(2).getMessage().startsWith("extracted.material: "), acks.get(2).getMessage());
    }

    @Test
    void exportsBeyondTheLicenceAndTransshipmentAreSignalled() throws Exception {
        List<ChainEvent> chain = List.of(
                event("JX-EV-0300", MINE, at(0)).setExtracted(Extracted.newBuilder().setLotId("360000-LOT-DY-A")
                        .setMaterial("dysprosium metal").setQuantity(kg("60"))).build(),
                event("JX-EV-0301", MINE, at(1)).setShipped(shipped("360000-SHP-A", "360000-LOT-DY-A", "60", PORT)).build(),
                event("JX-EV-0302", PORT, at(5)).setReceived(Received.newBuilder().setShipmentId("360000-SHP-A")
                        .setWeighedQuantity(kg("57"))).build(),
                event("JX-EV-0303", PORT, at(6)).setExportDeclared(declared("JX-DECL-A", "360000-LOT-DY-A", "57", "DE")).build(),
                event("JX-EV-0304", PORT, at(8)).setExported(Exported.newBuilder().setDeclarationId("JX-DECL-A")
                        .setLotId("360000-LOT-DY-A").setQuantity(kg("57")).setCarrierDestinationCountryCode("IN")).build(),
                event("JX-EV-0305", MINE, at(9)).setExtracted(Extracted.newBuilder().setLotId("360000-LOT-DY-B")
                        .setMaterial("dysprosium metal").setQuantity(kg("80"))).build(),
                event("JX-EV-0306", MINE, at(10)).setShipped(shipped("360000-SHP-B", "360000-LOT-DY-B", "80", PORT)).build(),
                event("JX-EV-0307", PORT, at(12)).setReceived(Received.newBuilder().setShipmentId("360000-SHP-B")
                        .setWeighedQuantity(kg("80"))).build(),
                event("JX-EV-0308", PORT, at(13)).setExportDeclared(declared("JX-DECL-B", "360000-LOT-DY-B", "80", "DE")).build());
        List<EventAck> acks = stream(ChainEventServiceGrpc.newStub(reporting), "360000", chain);
        assertTrue(acks.stream().allMatch(a -> a.getResult() == EventResult.EVENT_RESULT_ACCEPTED), acks.toString());
        assertEquals("ACCEPTED", acks.get(3).getLicenceAnswer());
        assertEquals("LICENCE_BALANCE_EXCEEDED", acks.get(8).getLicenceAnswer(), "57 of 100 kg used; 80 more do not fit");

        List<RaiseSignalRequest> signals = TestDatabase.outboxPayloads("enforcement", RaiseSignalRequest.parser());
        RaiseSignalRequest transitLoss = only(signals, SignalKind.SIGNAL_KIND_TRANSIT_LOSS);
        assertEquals("5", transitLoss.getMeasurementsList().stream().filter(m -> m.getName().equals("difference_percent"))
                .findFirst().orElseThrow().getValue());
        RaiseSignalRequest transshipment = only(signals, SignalKind.SIGNAL_KIND_EXPORTED_TO_OTHER_DESTINATION);
        assertEquals("DE", transshipment.getFactsOrThrow("declared_destination"));
        assertEquals("IN", transshipment.getFactsOrThrow("carrier_destination"));
        assertEquals("360000", transshipment.getJurisdiction().getCode());
        assertTrue(transshipment.getEvidenceIdsList().contains(acks.get(4).getRecordId()), "evidence cites the export event");
        List<RaiseSignalRequest> declared = signals.stream().filter(s -> s.getKind() == SignalKind.SIGNAL_KIND_EXPORT_DECLARED).toList();
        assertEquals(List.of("ACCEPTED", "LICENCE_BALANCE_EXCEEDED"), declared.stream()
                .map(s -> s.getFactsOrThrow("licence_answer")).toList());
        assertEquals("4500", declared.get(0).getUnitPrice().getAmount());
        assertEquals(ENTERPRISE, declared.get(1).getFactsOrThrow("exporter"));
    }

    private static RaiseSignalRequest only(List<RaiseSignalRequest> signals, SignalKind kind) {
        List<RaiseSignalRequest> matching = signals.stream().filter(s -> s.getKind() == kind).toList();
        assertEquals(1, matching.size(), kind + " in " + signals);
        return matching.get(0);
    }

    private ChainEvent extracted(String eventId, String lotId, String kilograms, int hours) {
        return event(eventId, MINE, at(hours)).setExtracted(Extracted.newBuilder().setLotId(lotId)
                .setMaterial("ionic rare earth concentrate").setQuantity(kg(kilograms))).build();
    }

    /** What is left of a lot, as the province's system reads it. */
    private String remaining(String lotId) {
        return asSystem(eventsBlocking, "360000").getLot(GetLotRequest.newBuilder().setLotId(lotId).build()).getLot()
                .getRemaining().getValue();
    }

    /** Batches that ran again with every look-up after one expected fresh met a stored key. */
    private static double retries() {
        return org.exportcontrol.platform.testing.Metrics.value("reporting_ingest_batch_retries_total");
    }

    private Instant at(int hours) {
        return t0.plus(hours, ChronoUnit.HOURS);
    }

    private Shipped shipped(String shipment, String lot, String kilograms, String to) {
        return Shipped.newBuilder().setShipmentId(shipment).setLotId(lot).setQuantity(kg(kilograms)).setToFacilityId(to)
                .setCarrier("Ganzhou Rare Earth Logistics").setVehicle("GAN-B12345").setSeal("SEAL-" + shipment)
                .setExpectedArrival(Timestamps.of(t0.plus(30, ChronoUnit.DAYS))).build();
    }

    private ExportDeclared declared(String declaration, String lot, String kilograms, String destination) {
        return ExportDeclared.newBuilder().setDeclarationId(declaration).setLicenceNumber(licence)
                .setExporterCreditCode(ENTERPRISE).setLotId(lot)
                .setItem(ItemRef.newBuilder().setItemCode("1C905").setTariffCode("2805301200"))
                .setQuantity(kg(kilograms)).setDestinationCountryCode(destination)
                .setUnitPrice(Money.newBuilder().setAmount("4500").setCurrencyCode("CNY")).build();
    }
}
