package org.exportcontrol.simulator.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.LotQuantity;
import org.exportcontrol.api.reporting.v1.ProducedLot;
import org.exportcontrol.simulator.data.DemoData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generator's chains are valid chains of custody, and each seeded violation is there exactly
 * when its switch is on. The checks here are the simulator's own model of the rules (docs/api.md),
 * not the service's code.
 */
class ChainGeneratorTest {

    static final DemoData DATA = DemoData.load();
    static final ChainGenerator.Licences LICENCES = new ChainGenerator.Licences("EL-TEST-MAIN", "EL-TEST-OMAN");
    static final int EVENTS = 3000;

    /** A clock that moves one second per reading: events are never in its future. */
    static final class TestClock implements Supplier<Instant> {
        Instant now = Instant.parse("2026-06-15T02:00:00Z");

        @Override
        public Instant get() {
            now = now.plusSeconds(1);
            return now;
        }
    }

    record Run(DemoData.Province province, List<ChainEvent> events, TestClock clock, ChainGenerator generator) {
    }

    static Run run(String provinceCode, Set<Scenario> scenarios, long seed) {
        DemoData.Province p = DATA.province(provinceCode).orElseThrow();
        TestClock clock = new TestClock();
        ChainGenerator g = new ChainGenerator(p, LICENCES, scenarios, seed, "run1", clock, 3);
        List<ChainEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(g.next());
        }
        events.addAll(g.finishOpenChains());
        return new Run(p, events, clock, g);
    }

    // ---- the custody model -------------------------------------------------------------------------

    static final class Lot {
        String holder;
        boolean inTransit;
        BigDecimal remaining;
        Instant last;
    }

    static final class Model {
        final DemoData.Province province;
        final Map<String, Lot> lots = new HashMap<>();
        final Map<String, ChainEvent> shipments = new HashMap<>();
        final Set<String> received = new HashSet<>();
        final Map<String, ChainEvent> declarations = new HashMap<>();
        final Map<String, BigDecimal> extractedByEnterprise = new HashMap<>();
        final List<String> leaks = new ArrayList<>();
        final List<String> mismatches = new ArrayList<>();
        final List<String> unlicensed = new ArrayList<>();
        final Map<String, String> carried = new HashMap<>();

        Model(DemoData.Province province) {
            this.province = province;
        }

        String kind(String facility) {
            return province.facility(facility).kind();
        }

        Lot holding(ChainEvent e, String lotId, BigDecimal q) {
            Lot lot = lots.get(lotId);
            assertNotNull(lot, e.getEventId() + ": unknown lot " + lotId);
            assertFalse(lot.inTransit, e.getEventId() + ": lot " + lotId + " is in transit");
            assertEquals(lot.holder, e.getFacilityId(), e.getEventId() + ": only the holder acts on " + lotId);
            assertFalse(at(e).isBefore(lot.last), e.getEventId() + ": events of " + lotId + " out of time order");
            assertTrue(q.compareTo(lot.remaining) <= 0, e.getEventId() + ": " + q + " is more than the "
                    + lot.remaining + " left of " + lotId);
            lot.last = at(e);
            return lot;
        }

        void take(ChainEvent e, String lotId, BigDecimal q) {
            Lot lot = holding(e, lotId, q);
            lot.remaining = lot.remaining.subtract(q);
            assertTrue(lot.remaining.signum() >= 0, "never below zero");
        }

        Lot create(ChainEvent e, String lotId, BigDecimal q) {
            assertFalse(lots.containsKey(lotId), e.getEventId() + ": lot " + lotId + " exists");
            assertTrue(q.signum() > 0, "positive quantity");
            Lot lot = new Lot();
            lot.holder = e.getFacilityId();
            lot.remaining = q;
            lot.last = at(e);
            lots.put(lotId, lot);
            return lot;
        }

        void apply(ChainEvent e) {
            switch (e.getPayloadCase()) {
                case EXTRACTED -> {
                    assertEquals("MINE", kind(e.getFacilityId()), "extraction only at mines");
                    BigDecimal q = qty(e.getExtracted().getQuantity());
                    create(e, e.getExtracted().getLotId(), q);
                    extractedByEnterprise.merge(province.facility(e.getFacilityId()).enterprise(), q, BigDecimal::add);
                }
                case PROCESSED -> {
                    BigDecimal in = BigDecimal.ZERO;
                    BigDecimal out = BigDecimal.ZERO;
                    for (LotQuantity i : e.getProcessed().getInputsList()) {
                        take(e, i.getLotId(), qty(i.getQuantity()));
                        in = in.add(qty(i.getQuantity()));
                    }
                    for (ProducedLot o : e.getProcessed().getOutputsList()) {
                        create(e, o.getLotId(), qty(o.getQuantity()));
                        out = out.add(qty(o.getQuantity()));
                    }
                    assertTrue(out.compareTo(in) <= 0, "processing makes nothing out of nothing");
                    if ("SEPARATION_PLANT".equals(kind(e.getFacilityId()))
                            && out.compareTo(in.multiply(new BigDecimal("0.95"))) < 0) {
                        leaks.add(e.getFacilityId());
                    }
                }
                case SHIPPED -> {
                    var s = e.getShipped();
                    BigDecimal q = qty(s.getQuantity());
                    Lot lot = holding(e, s.getLotId(), q);
                    assertEquals(0, q.compareTo(lot.remaining), "a shipment moves the whole lot");
                    assertNotNull(province.facility(s.getToFacilityId()));
                    assertFalse(shipments.containsKey(s.getShipmentId()), "shipment ids are unique");
                    lot.inTransit = true;
                    lot.holder = s.getToFacilityId();
                    shipments.put(s.getShipmentId(), e);
                }
                case RECEIVED -> {
                    ChainEvent s = shipments.get(e.getReceived().getShipmentId());
                    assertNotNull(s, "receipt after its shipment");
                    assertEquals(s.getShipped().getToFacilityId(), e.getFacilityId(), "received at the destination");
                    assertTrue(received.add(e.getReceived().getShipmentId()), "received once");
                    Lot lot = lots.get(s.getShipped().getLotId());
                    BigDecimal weighed = qty(e.getReceived().getWeighedQuantity());
                    BigDecimal shipped = qty(s.getShipped().getQuantity());
                    assertTrue(weighed.subtract(shipped).abs().compareTo(shipped.multiply(new BigDecimal("0.005"))) <= 0,
                            "weighed within the 0.5 % tolerance");
                    assertFalse(at(e).isBefore(lot.last), "receipt after shipment");
                    lot.inTransit = false;
                    lot.remaining = weighed;
                    lot.last = at(e);
                }
                case CONSUMED -> {
                    assertEquals("MANUFACTURER", kind(e.getFacilityId()));
                    for (LotQuantity i : e.getConsumed().getInputsList()) {
                        take(e, i.getLotId(), qty(i.getQuantity()));
                    }
                }
                case EXPORT_DECLARED -> {
                    var d = e.getExportDeclared();
                    holding(e, d.getLotId(), qty(d.getQuantity()));
                    assertTrue(Set.of("PORT", "BORDER_CROSSING").contains(kind(e.getFacilityId())), "declared at the border");
                    assertTrue(d.getDeclarationId().matches("[A-Za-z0-9_-]{8,64}"), "declaration id " + d.getDeclarationId());
                    assertFalse(declarations.containsKey(d.getDeclarationId()), "declaration ids are unique");
                    if (d.getLicenceNumber().equals(LICENCES.main())) {
                        // enforcement's STRUCTURING rule counts declarations below 1000: normal traffic stays above
                        assertTrue(qty(d.getQuantity()).compareTo(new BigDecimal("1000")) >= 0,
                                "normal exports are not below the structuring quantity: " + d.getQuantity());
                    }
                    declarations.put(d.getDeclarationId(), e);
                    if (!Set.of(LICENCES.main(), LICENCES.oman()).contains(d.getLicenceNumber())) {
                        unlicensed.add(d.getDeclarationId());
                        assertEquals("1C905", d.getItem().getItemCode(), "the unlicensed export is dysprosium");
                    }
                    if (d.getLicenceNumber().equals(LICENCES.oman())) {
                        assertEquals("OM", d.getDestinationCountryCode());
                    }
                }
                case EXPORTED -> {
                    var x = e.getExported();
                    ChainEvent d = declarations.get(x.getDeclarationId());
                    assertNotNull(d, "exported after its declaration");
                    take(e, x.getLotId(), qty(x.getQuantity()));
                    if (!d.getExportDeclared().getDestinationCountryCode().equals(x.getCarrierDestinationCountryCode())) {
                        mismatches.add(x.getDeclarationId());
                        carried.put(x.getDeclarationId(), d.getExportDeclared().getDestinationCountryCode() + "->"
                                + x.getCarrierDestinationCountryCode());
                    }
                }
                default -> fail("unexpected event " + e);
            }
        }

        /** Shipments never received whose expected arrival passed more than 48 h before {@code now}. */
        List<String> overdue(Instant now) {
            List<String> out = new ArrayList<>();
            shipments.forEach((id, e) -> {
                Instant due = Instant.ofEpochSecond(e.getShipped().getExpectedArrival().getSeconds());
                if (!received.contains(id) && Duration.between(due, now).toHours() >= 48) {
                    out.add(id);
                }
            });
            return out;
        }

        List<String> inTransit() {
            List<String> out = new ArrayList<>();
            shipments.keySet().stream().filter(id -> !received.contains(id)).forEach(out::add);
            return out;
        }

        List<String> overQuota() {
            List<String> out = new ArrayList<>();
            for (DemoData.Quota q : province.quotas()) {
                BigDecimal used = extractedByEnterprise.getOrDefault(q.enterprise(), BigDecimal.ZERO);
                if ("MINING".equals(q.kind()) && used.compareTo(new BigDecimal(q.tonnesReo()).multiply(BigDecimal.valueOf(1000))) > 0) {
                    out.add(q.enterprise());
                }
            }
            return out;
        }
    }

    static Model check(Run run) {
        Model m = new Model(run.province());
        Set<String> ids = new HashSet<>();
        for (ChainEvent e : run.events()) {
            assertTrue(ids.add(e.getEventId()), "event ids are unique: " + e.getEventId());
            assertTrue(e.getEventId().matches("[A-Za-z0-9_.:-]{1,64}"), "event id format " + e.getEventId());
            assertFalse(at(e).isAfter(run.clock().now), e.getEventId() + " is in the future");
            assertTrue(e.getFacilityId().startsWith(run.province().code() + "-"), "own province's facilities only");
            m.apply(e);
        }
        return m;
    }

    // ---- tests -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"150000", "360000", "430000", "450000"})
    void normalChainsAreValidAndSeedNoViolation(String province) {
        Run run = run(province, EnumSet.noneOf(Scenario.class), 42);
        Model m = check(run);
        assertTrue(m.inTransit().isEmpty(), "every shipment is received: " + m.inTransit());
        assertTrue(m.leaks.isEmpty(), "no leak: " + m.leaks);
        assertTrue(m.mismatches.isEmpty(), "no destination mismatch: " + m.mismatches);
        assertTrue(m.unlicensed.isEmpty(), "no unlicensed export: " + m.unlicensed);
        assertTrue(m.overQuota().isEmpty(), "no quota overrun: " + m.overQuota());
        assertTrue(m.overdue(run.clock().now).isEmpty());
        assertFalse(m.declarations.isEmpty(), "normal chains export too");
        assertEquals(0, run.generator().scenarioEvents());
        assertTrue(run.generator().seeded().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"150000", "360000", "430000", "450000"})
    void allScenariosAreSeededInValidChains(String province) {
        Run run = run(province, EnumSet.allOf(Scenario.class), 7);
        Model m = check(run);
        Map<Scenario, String> seeded = run.generator().seeded();
        assertEquals(EnumSet.allOf(Scenario.class), seeded.keySet());
        assertEquals(List.of(seeded.get(Scenario.UNLICENSED_EXPORT)), m.unlicensed);
        assertEquals(List.of(seeded.get(Scenario.TRANSSHIPMENT)), m.mismatches);
        assertEquals("OM->IN", m.carried.get(seeded.get(Scenario.TRANSSHIPMENT)), "declared Oman, carried to India");
        assertEquals(List.of(seeded.get(Scenario.CUSTODY_GAP)), m.overdue(run.clock().now));
        assertEquals(List.of(seeded.get(Scenario.CUSTODY_GAP)), m.inTransit(), "only the custody gap stays in transit");
        assertEquals(List.of(run.province().chain().leakPlant()), m.leaks);
        assertEquals(List.of(seeded.get(Scenario.QUOTA_OVERRUN)), m.overQuota());
        // scenario events come first, so their alerts follow within seconds of the start
        assertTrue(run.generator().scenarioEvents() > 0 && run.generator().scenarioEvents() < 100);
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void eachSwitchSeedsOnlyItsViolation(Scenario scenario) {
        Run run = run("360000", EnumSet.of(scenario), 3);
        Model m = check(run);
        assertEquals(scenario == Scenario.UNLICENSED_EXPORT, !m.unlicensed.isEmpty(), "unlicensed export");
        assertEquals(scenario == Scenario.TRANSSHIPMENT, !m.mismatches.isEmpty(), "transshipment");
        assertEquals(scenario == Scenario.CUSTODY_GAP, !m.overdue(run.clock().now).isEmpty(), "custody gap");
        assertEquals(scenario == Scenario.MASS_BALANCE_LEAK, !m.leaks.isEmpty(), "mass-balance leak");
        assertEquals(scenario == Scenario.QUOTA_OVERRUN, !m.overQuota().isEmpty(), "quota overrun");
        assertEquals(Set.of(scenario), run.generator().seeded().keySet());
    }

    @Test
    void custodyGapIsBackdatedButNeverInTheFuture() {
        Run run = run("360000", EnumSet.of(Scenario.CUSTODY_GAP), 1);
        ChainEvent shipped = run.events().stream().filter(ChainEvent::hasShipped).findFirst().orElseThrow();
        Instant due = Instant.ofEpochSecond(shipped.getShipped().getExpectedArrival().getSeconds());
        assertTrue(Duration.between(due, run.clock().now).toHours() >= 48, "due more than 48 h ago");
        assertTrue(at(shipped).isBefore(due), "shipped before it was due");
    }

    @Test
    void sameSeedAndRunGiveTheSameChainsAndOtherRunIdsOtherIds() {
        DemoData.Province p = DATA.province("360000").orElseThrow();
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        List<String> c = new ArrayList<>();
        ChainGenerator ga = new ChainGenerator(p, LICENCES, EnumSet.allOf(Scenario.class), 99, "r1", new TestClock(), 3);
        ChainGenerator gb = new ChainGenerator(p, LICENCES, EnumSet.allOf(Scenario.class), 99, "r1", new TestClock(), 3);
        ChainGenerator gc = new ChainGenerator(p, LICENCES, EnumSet.allOf(Scenario.class), 99, "r2", new TestClock(), 3);
        for (int i = 0; i < 500; i++) {
            a.add(ga.next().toBuilder().clearOccurredAt().build().toString());
            b.add(gb.next().toBuilder().clearOccurredAt().build().toString());
            c.add(gc.next().getEventId());
        }
        assertEquals(a, b);
        assertTrue(c.stream().allMatch(id -> id.startsWith("r2-")));
    }

    @Test
    void scenarioNamesAreParsedAndBadOnesRefused() {
        assertEquals(EnumSet.allOf(Scenario.class), Scenario.parse("all"));
        assertTrue(Scenario.parse("none").isEmpty());
        assertEquals(EnumSet.of(Scenario.CUSTODY_GAP, Scenario.TRANSSHIPMENT), Scenario.parse("custody-gap, transshipment"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.parse("custody-gap,smuggling"));
        assertTrue(e.getMessage().contains("smuggling"));
        assertThrows(IllegalArgumentException.class, () -> Scenario.parse(""));
        assertThrows(IllegalArgumentException.class, () -> new ChainGenerator(DATA.provinces().get(0), LICENCES,
                Set.of(), 1, "bad id!", new TestClock(), 1));
    }

    static Instant at(ChainEvent e) {
        return Instant.ofEpochSecond(e.getOccurredAt().getSeconds(), e.getOccurredAt().getNanos());
    }

    static BigDecimal qty(org.exportcontrol.api.common.v1.Quantity q) {
        return new BigDecimal(q.getValue());
    }
}
