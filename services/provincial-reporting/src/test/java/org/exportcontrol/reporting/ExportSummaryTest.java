package org.exportcontrol.reporting;

import static org.exportcontrol.reporting.ReportingFixture.MINE;
import static org.exportcontrol.reporting.ReportingFixture.as;
import static org.exportcontrol.reporting.ReportingFixture.asSystem;
import static org.exportcontrol.reporting.ReportingFixture.event;
import static org.exportcontrol.reporting.ReportingFixture.id;
import static org.exportcontrol.reporting.ReportingFixture.kg;
import static org.exportcontrol.reporting.ReportingFixture.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.reporting.v1.*;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.identifiers.ChinaTime;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * ExportStatisticsService.GetExportSummary over a Jiangxi and a Hunan mine, figures by hand
 * (months in China Standard Time):
 * <pre>
 * Jiangxi  D6 declared 10 kg 1C905 on 25 Aug                      (outside the range asked)
 *          D1 declared 100.5 kg 1C905 on 5 Sep, exported 100.5 kg on 6 Sep
 *          D2 declared 200 kg 1C905 on 30 Sep 23:30, exported 199.25 kg on 1 Oct 00:30
 *             (still 30 Sep in UTC: it counts in October)
 *          D3 declared 1.5 t 1C902 on 10 Oct = 1500 kg, not exported yet
 * Hunan    D4 declared 50 kg 1C905 on 15 Sep, exported 50 kg on 16 Sep
 *          D5 declared 25.125 kg 1C905 on 20 Oct, not exported yet
 *
 * 2026-09 x 1C905 x 360000: declared 300.5 kg (2), exported 100.5 kg (1)
 * 2026-09 x 1C905 x 430000: declared 50 kg (1),    exported 50 kg (1)
 * 2026-10 x 1C902 x 360000: declared 1500 kg (1),  exported 0 (0)
 * 2026-10 x 1C905 x 360000: declared 0 (0),        exported 199.25 kg (1)
 * 2026-10 x 1C905 x 430000: declared 25.125 kg (1), exported 0 (0)
 * </pre>
 * Licence numbers are made up: licensing refuses them, and declarations count whatever it answered.
 */
@QuarkusTest
@QuarkusTestResource(LicensingProcess.class)
class ExportSummaryTest {

    static final String HUNAN_MINE = "430000-MINE-001";

    @GrpcClient("reporting")
    io.grpc.Channel reporting;
    @GrpcClient("reporting")
    FacilityServiceGrpc.FacilityServiceBlockingStub facilities;
    @GrpcClient("reporting")
    ExportStatisticsServiceGrpc.ExportStatisticsServiceBlockingStub statistics;

    @BeforeEach
    void setUp() throws Exception {
        ReportingFixture.resetDatabase();
        ReportingFixture.registerFacilities(facilities);
        asSystem(facilities, "430000").registerFacility(RegisterFacilityRequest.newBuilder().setRequestId(id())
                .setFacility(Facility.newBuilder().setId(HUNAN_MINE).setKind(FacilityKind.FACILITY_KIND_MINE)
                        .setName("Chenzhou tungsten mine").setEnterpriseCreditCode("91430100MA0DEM021X").setProvinceCode("430000"))
                .build());
        List<EventAck> jiangxi = stream(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(
                event("XS-0001", MINE, cst(2026, 8, 20, 9, 0)).setExtracted(Extracted.newBuilder().setLotId("360000-LOT-XA")
                        .setMaterial("dysprosium oxide").setQuantity(kg("1000"))).build(),
                event("XS-0002", MINE, cst(2026, 8, 20, 10, 0)).setExtracted(Extracted.newBuilder().setLotId("360000-LOT-XB")
                        .setMaterial("samarium oxide").setQuantity(tonnes("2"))).build(),
                declared("XS-0003", MINE, cst(2026, 8, 25, 9, 0), "XS-DECL-6", "360000-LOT-XA", "1C905", kg("10")),
                declared("XS-0004", MINE, cst(2026, 9, 5, 10, 0), "XS-DECL-1", "360000-LOT-XA", "1C905", kg("100.5")),
                exported("XS-0005", MINE, cst(2026, 9, 6, 10, 0), "XS-DECL-1", "360000-LOT-XA", kg("100.5")),
                declared("XS-0006", MINE, cst(2026, 9, 30, 23, 30), "XS-DECL-2", "360000-LOT-XA", "1C905", kg("200")),
                exported("XS-0007", MINE, cst(2026, 10, 1, 0, 30), "XS-DECL-2", "360000-LOT-XA", kg("199.25")),
                declared("XS-0008", MINE, cst(2026, 10, 10, 9, 0), "XS-DECL-3", "360000-LOT-XB", "1C902", tonnes("1.5"))), 3);
        assertTrue(jiangxi.stream().allMatch(a -> a.getResult() == EventResult.EVENT_RESULT_ACCEPTED), jiangxi.toString());
        List<EventAck> hunan = stream(ChainEventServiceGrpc.newStub(reporting), "430000", List.of(
                event("XS-0101", HUNAN_MINE, cst(2026, 9, 1, 9, 0)).setExtracted(Extracted.newBuilder().setLotId("430000-LOT-HA")
                        .setMaterial("dysprosium oxide").setQuantity(kg("500"))).build(),
                declared("XS-0102", HUNAN_MINE, cst(2026, 9, 15, 9, 0), "XS-DECL-4", "430000-LOT-HA", "1C905", kg("50")),
                exported("XS-0103", HUNAN_MINE, cst(2026, 9, 16, 9, 0), "XS-DECL-4", "430000-LOT-HA", kg("50")),
                declared("XS-0104", HUNAN_MINE, cst(2026, 10, 20, 9, 0), "XS-DECL-5", "430000-LOT-HA", "1C905", kg("25.125"))));
        assertTrue(hunan.stream().allMatch(a -> a.getResult() == EventResult.EVENT_RESULT_ACCEPTED), hunan.toString());
    }

    @Test
    void nationalUsersSeeEveryProvinceWithHandComputedFigures() {
        List<String> expected = List.of(
                "2026-09 1C905 360000 300.5 2 100.5 1 QUANTITY_UNIT_KILOGRAM",
                "2026-09 1C905 430000 50 1 50 1 QUANTITY_UNIT_KILOGRAM",
                "2026-10 1C902 360000 1500 1 0 0 QUANTITY_UNIT_KILOGRAM",
                "2026-10 1C905 360000 0 0 199.25 1 QUANTITY_UNIT_KILOGRAM",
                "2026-10 1C905 430000 25.125 1 0 0 QUANTITY_UNIT_KILOGRAM");
        for (String user : List.of("nat-analyst", "nat-coordinator", "nat-licensing-officer", "nat-auditor")) {
            GetExportSummaryResponse all = summary(user, "2026-09", "2026-10", "", 0, "");
            assertEquals(expected, lines(all.getRowsList()), user);
            assertEquals("", all.getNextPageToken());
        }
        // August alone: the one declaration before the range
        assertEquals(List.of("2026-08 1C905 360000 10 1 0 0 QUANTITY_UNIT_KILOGRAM"),
                lines(summary("nat-analyst", "2026-08", "2026-08", "", 0, "").getRowsList()));
        // one province, asked for by a national user
        assertEquals(List.of(expected.get(0), expected.get(2), expected.get(3)),
                lines(summary("nat-analyst", "2026-09", "2026-10", "360000", 0, "").getRowsList()));
        // pages of two, resumed with the token, add up to the whole
        List<ExportSummaryRow> paged = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            GetExportSummaryResponse page = summary("nat-analyst", "2026-09", "2026-10", "", 2, token);
            assertTrue(page.getRowsCount() <= 2);
            paged.addAll(page.getRowsList());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertEquals(3, pages);
        assertEquals(expected, lines(paged));
    }

    @Test
    void aHunanOfficerSeesOnlyHunanAndIsRefusedJiangxi() {
        List<String> hunan = List.of("2026-09 1C905 430000 50 1 50 1 QUANTITY_UNIT_KILOGRAM",
                "2026-10 1C905 430000 25.125 1 0 0 QUANTITY_UNIT_KILOGRAM");
        assertEquals(hunan, lines(summary("hn-enforcement-officer", "2026-09", "2026-10", "", 0, "").getRowsList()));
        assertEquals(hunan, lines(summary("hn-enforcement-officer", "2026-09", "2026-10", "430000", 0, "").getRowsList()));
        assertEquals(hunan, lines(summary("hn-supervisor", "2026-01", "2026-12", "", 0, "").getRowsList()));

        StatusRuntimeException jiangxi = assertThrows(StatusRuntimeException.class,
                () -> summary("hn-enforcement-officer", "2026-09", "2026-10", "360000", 0, ""));
        assertEquals(Status.Code.PERMISSION_DENIED, jiangxi.getStatus().getCode());
        assertEquals("OUTSIDE_JURISDICTION", StatusDetails.reason(jiangxi).orElseThrow());

        StatusRuntimeException exporter = assertThrows(StatusRuntimeException.class,
                () -> summary("hn-exporter", "2026-09", "2026-10", "", 0, ""));
        assertEquals(Status.Code.PERMISSION_DENIED, exporter.getStatus().getCode());
        assertEquals("ROLE_NOT_ALLOWED", StatusDetails.reason(exporter).orElseThrow());
    }

    @Test
    void badInputIsInvalidArgumentWithTheFieldsAndChangesNothing() {
        long facts = TestDatabase.count("select count(*) from export_fact");
        long audit = TestDatabase.count("select count(*) from audit_entry");
        assertEquals(9, facts, "5 declarations and 3 exports in range, 1 declaration before");

        assertEquals(List.of("from_period", "to_period"), badFields("2026-13", "26-10", "", 0, ""));
        assertEquals(List.of("to_period"), badFields("2025-01", "2027-01", "", 0, ""), "25 months");
        assertEquals(List.of(), badFields("2025-01", "2026-12", "", 0, ""), "24 months are allowed");
        assertEquals(List.of("to_period"), badFields("2026-10", "2026-09", "", 0, ""), "backwards");
        assertEquals(List.of("province_code"), badFields("2026-09", "2026-10", "national", 0, ""));
        assertEquals(List.of("province_code"), badFields("2026-09", "2026-10", "999999", 0, ""));
        assertEquals(List.of("page_size"), badFields("2026-09", "2026-10", "", -1, ""));
        assertEquals(List.of("page_token"), badFields("2026-09", "2026-10", "", 0, "not-a-token"));
        assertEquals(List.of("page_token"), badFields("2026-09", "2026-10", "", 0, Paging.token("alerts", "5")),
                "a token of another list");
        assertEquals(List.of("page_token"), badFields("2026-09", "2026-10", "", 0, Paging.token("export-summary", "x")),
                "a damaged token of this list");

        assertEquals(facts, TestDatabase.count("select count(*) from export_fact"));
        assertEquals(audit, TestDatabase.count("select count(*) from audit_entry"));
    }

    /**
     * The migration fills export_fact (and export_declaration.item_code) for events stored before it
     * from the stored protobuf payloads: run again over what ingest wrote, it must give the same rows.
     */
    @Test
    void theMigrationsBackfillGivesWhatIngestWrites() throws Exception {
        String migration;
        try (var in = getClass().getClassLoader().getResourceAsStream("db/migration/V202611280202__export_statistics.sql")) {
            migration = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String backfill = migration.substring(migration.indexOf("create function pg_temp.protobuf_varint"));
        try (java.sql.Connection c = TestDatabase.connect(); java.sql.Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("create temp table fact_by_ingest as select * from export_fact;"
                        + " create temp table item_by_ingest as select declaration_id, item_code from export_declaration;"
                        + " alter table export_declaration alter column item_code drop not null;"
                        + " truncate export_fact; update export_declaration set item_code = null");
                s.execute(backfill);
                assertEquals(9, count(s, "select count(*) from export_fact"));
                assertEquals(0, count(s, "select count(*) from ((select * from export_fact except select * from fact_by_ingest)"
                        + " union all (select * from fact_by_ingest except select * from export_fact)) d"));
                assertEquals(0, count(s, "select count(*) from export_declaration d join item_by_ingest i using (declaration_id)"
                        + " where d.item_code is distinct from i.item_code"));
            } finally {
                c.rollback();
            }
        }
    }

    private static long count(java.sql.Statement s, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private List<String> badFields(String from, String to, String province, int size, String token) {
        try {
            summary("nat-analyst", from, to, province, size, token);
            return List.of();
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.toString());
            return StatusDetails.badFields(e);
        }
    }

    private GetExportSummaryResponse summary(String user, String from, String to, String province, int size, String token) {
        return as(statistics, user).getExportSummary(GetExportSummaryRequest.newBuilder().setFromPeriod(from).setToPeriod(to)
                .setProvinceCode(province).setPageSize(size).setPageToken(token).build());
    }

    private static List<String> lines(List<ExportSummaryRow> rows) {
        return rows.stream().map(r -> String.join(" ", r.getPeriod(), r.getItemCode(), r.getProvinceCode(),
                r.getDeclaredQuantity().getValue(), Long.toString(r.getDeclaredCount()), r.getExportedQuantity().getValue(),
                Long.toString(r.getExportedCount()), r.getDeclaredQuantity().getUnit().name())).toList();
    }

    private static ChainEvent declared(String eventId, String facility, Instant at, String declaration, String lot,
            String item, Quantity quantity) {
        return event(eventId, facility, at).setExportDeclared(ExportDeclared.newBuilder().setDeclarationId(declaration)
                .setLicenceNumber("EL-" + facility.substring(0, 6) + "-2026-999").setExporterCreditCode(
                        facility.startsWith("430000") ? "91430100MA0DEM021X" : ReportingFixture.ENTERPRISE)
                .setLotId(lot).setItem(ItemRef.newBuilder().setItemCode(item)).setQuantity(quantity)
                .setDestinationCountryCode("DE")).build();
    }

    private static ChainEvent exported(String eventId, String facility, Instant at, String declaration, String lot,
            Quantity quantity) {
        return event(eventId, facility, at).setExported(Exported.newBuilder().setDeclarationId(declaration).setLotId(lot)
                .setQuantity(quantity).setCarrierDestinationCountryCode("DE").setVesselOrFlight("X 1")).build();
    }

    private static Quantity tonnes(String value) {
        return Quantity.newBuilder().setValue(value).setUnit(QuantityUnit.QUANTITY_UNIT_TONNE).build();
    }

    private static Instant cst(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute).atZone(ChinaTime.ZONE).toInstant();
    }
}
