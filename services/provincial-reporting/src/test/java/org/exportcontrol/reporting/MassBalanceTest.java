package org.exportcontrol.reporting;

import static org.exportcontrol.reporting.ReportingFixture.MAGNETS;
import static org.exportcontrol.reporting.ReportingFixture.MINE;
import static org.exportcontrol.reporting.ReportingFixture.SEPARATION;
import static org.exportcontrol.reporting.ReportingFixture.as;
import static org.exportcontrol.reporting.ReportingFixture.event;
import static org.exportcontrol.reporting.ReportingFixture.kg;
import static org.exportcontrol.reporting.ReportingFixture.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.reporting.v1.*;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.identifiers.ChinaTime;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A worked mass balance of a separation plant for September 2026, figures by hand:
 * opening stock 0; received 600 + 400 = 1,000 kg of concentrate (inputs); processed into
 * 500 + 430 = 930 kg of oxide (70 kg lost in processing); shipped 500 kg (outputs); counted
 * 425 kg where the books said 430 (5 kg short). Closing stock 425 kg.
 * Loss = 0 + 1,000 - 500 - 425 = 75 kg; loss % = 75 / 1,000 = 7.50 %.
 */
@QuarkusTest
@QuarkusTestResource(LicensingProcess.class)
class MassBalanceTest {

    @GrpcClient("reporting")
    io.grpc.Channel reporting;
    @GrpcClient("reporting")
    FacilityServiceGrpc.FacilityServiceBlockingStub facilities;

    @BeforeEach
    void setUp() {
        ReportingFixture.resetDatabase();
        ReportingFixture.registerFacilities(facilities);
    }

    @Test
    void aSeparationPlantsMonthAddsUp() throws Exception {
        List<EventAck> acks = stream(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(
                event("MB-0001", MINE, cst(2026, 8, 20, 9)).setExtracted(Extracted.newBuilder().setLotId("360000-LOT-MA")
                        .setMaterial("concentrate").setQuantity(kg("600"))).build(),
                event("MB-0002", MINE, cst(2026, 8, 20, 10)).setExtracted(Extracted.newBuilder().setLotId("360000-LOT-MB")
                        .setMaterial("concentrate").setQuantity(kg("400"))).build(),
                // half past midnight on 1 September in China, still 31 August in UTC: a September input
                event("MB-0011", MINE, cst(2026, 9, 1, 0).plusSeconds(1800)).setExtracted(Extracted.newBuilder()
                        .setLotId("360000-LOT-MC").setMaterial("concentrate").setQuantity(kg("100"))).build(),
                event("MB-0003", MINE, cst(2026, 9, 1, 8)).setShipped(ship("MB-S1", "360000-LOT-MA", "600", SEPARATION)).build(),
                event("MB-0004", MINE, cst(2026, 9, 1, 9)).setShipped(ship("MB-S2", "360000-LOT-MB", "400", SEPARATION)).build(),
                event("MB-0005", SEPARATION, cst(2026, 9, 2, 10)).setReceived(Received.newBuilder().setShipmentId("MB-S1")
                        .setWeighedQuantity(kg("600"))).build(),
                event("MB-0006", SEPARATION, cst(2026, 9, 2, 11)).setReceived(Received.newBuilder().setShipmentId("MB-S2")
                        .setWeighedQuantity(kg("400"))).build(),
                event("MB-0007", SEPARATION, cst(2026, 9, 10, 14)).setProcessed(Processed.newBuilder()
                        .addInputs(LotQuantity.newBuilder().setLotId("360000-LOT-MA").setQuantity(kg("600")))
                        .addInputs(LotQuantity.newBuilder().setLotId("360000-LOT-MB").setQuantity(kg("400")))
                        .addOutputs(ProducedLot.newBuilder().setLotId("360000-LOT-OX1").setMaterial("oxide").setQuantity(kg("500")))
                        .addOutputs(ProducedLot.newBuilder().setLotId("360000-LOT-OX2").setMaterial("oxide").setQuantity(kg("430"))))
                        .build(),
                event("MB-0008", SEPARATION, cst(2026, 9, 15, 8)).setShipped(ship("MB-S3", "360000-LOT-OX1", "500", MAGNETS)).build(),
                event("MB-0009", SEPARATION, cst(2026, 9, 30, 17)).setInventoryCount(InventoryCount.newBuilder()
                        .setLotId("360000-LOT-OX2").setCounted(kg("425"))).build(),
                // in October: must not count in September
                event("MB-0010", MAGNETS, cst(2026, 10, 1, 9)).setReceived(Received.newBuilder().setShipmentId("MB-S3")
                        .setWeighedQuantity(kg("500"))).build()));
        assertTrue(acks.stream().allMatch(a -> a.getResult() == EventResult.EVENT_RESULT_ACCEPTED), acks.toString());

        MassBalance september = balance(SEPARATION, "2026-09");
        assertEquals("0", september.getOpeningStock().getValue());
        assertEquals("1000", september.getInputs().getValue());
        assertEquals("500", september.getOutputs().getValue());
        assertEquals("425", september.getClosingStock().getValue());
        assertEquals("425", september.getStockChange().getValue());
        assertEquals("75", september.getLoss().getValue());
        assertEquals("7.50", september.getLossPercent());

        MassBalance mineSeptember = balance(MINE, "2026-09");
        assertEquals("1000", mineSeptember.getOpeningStock().getValue());
        assertEquals("100", mineSeptember.getInputs().getValue());
        assertEquals("100", mineSeptember.getClosingStock().getValue());
        assertEquals("1000", mineSeptember.getOutputs().getValue());
        assertEquals("0", mineSeptember.getLoss().getValue());

        List<RaiseSignalRequest> losses = TestDatabase.outboxPayloads("enforcement", RaiseSignalRequest.parser()).stream()
                .filter(s -> s.getKind() == SignalKind.SIGNAL_KIND_FACILITY_LOSS).toList();
        assertEquals(1, losses.size(), "processing and counting changed the separation plant's balance");
        assertEquals(SEPARATION, losses.get(0).getSubject().getId());
    }

    private MassBalance balance(String facility, String period) {
        return as(facilities, "jx-inspector").getMassBalance(GetMassBalanceRequest.newBuilder().setFacilityId(facility)
                .setPeriod(period).build()).getBalance();
    }

    private static Shipped ship(String shipment, String lot, String kilograms, String to) {
        return Shipped.newBuilder().setShipmentId(shipment).setLotId(lot).setQuantity(kg(kilograms)).setToFacilityId(to)
                .setCarrier("Ganzhou Rare Earth Logistics").setExpectedArrival(Timestamps.of(cst(2026, 9, 3, 0))).build();
    }

    private static Instant cst(int year, int month, int day, int hour) {
        return LocalDateTime.of(year, month, day, hour, 0).atZone(ChinaTime.ZONE).toInstant();
    }
}
