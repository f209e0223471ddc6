package org.exportcontrol.simulator.generator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.Consumed;
import org.exportcontrol.api.reporting.v1.ExportDeclared;
import org.exportcontrol.api.reporting.v1.Exported;
import org.exportcontrol.api.reporting.v1.Extracted;
import org.exportcontrol.api.reporting.v1.LotQuantity;
import org.exportcontrol.api.reporting.v1.Processed;
import org.exportcontrol.api.reporting.v1.ProducedLot;
import org.exportcontrol.api.reporting.v1.Received;
import org.exportcontrol.api.reporting.v1.Shipped;
import org.exportcontrol.simulator.data.DemoData;

import com.google.protobuf.Timestamp;

/**
 * Generates a province's chain of custody as chain events: mined lots shipped to a separation
 * plant, separated into oxides, the oxides shipped on to a magnet maker (consumed), a warehouse,
 * or an export point (declared under a licence and exported). Plain Java over a seeded
 * {@link Random}: the same seed and run id give the same events (ids, lots, quantities); only the
 * times come from the clock, read when an event is emitted, so they are never in the future and
 * never go backwards.
 *
 * <p>Scenario chains (the seeded violations) come first, one after the other; then normal chains,
 * a few open at a time and interleaved, as a real province's traffic would be.
 *
 * <p>Ids: events {@code <run>-<n>}, lots {@code <province>-<run>-L<n>}, shipments {@code ...-S<n>},
 * declarations {@code ...-D<n>}: unique per run id, so reruns with another run id never collide.
 */
public final class ChainGenerator {

    /** The licence numbers the province's exports are declared under. */
    public record Licences(String main, String oman) {
    }

    private static final QuantityUnit UNIT = QuantityUnit.QUANTITY_UNIT_KILOGRAM_REO;
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final BigDecimal NORMAL_YIELD = new BigDecimal("0.99");
    /** What the leaking plant's outputs add up to, of its input. */
    static final BigDecimal LEAK_YIELD = new BigDecimal("0.88");
    /** A custody-gap shipment was due this long ago (the rule fires at 48 h). */
    static final Duration CUSTODY_GAP_OVERDUE = Duration.ofHours(50);
    static final String TRANSSHIPMENT_DECLARED = "OM";
    static final String TRANSSHIPMENT_CARRIED = "IN";

    private final DemoData.Province province;
    private final DemoData.Chain chain;
    private final Licences licences;
    private final Random random;
    private final String runId;
    private final Supplier<Instant> clock;
    private final int concurrency;

    private final Deque<Chain> scenarioChains = new ArrayDeque<>();
    private final List<Chain> open = new ArrayList<>();
    private final Map<Scenario, String> seeded = new LinkedHashMap<>();
    private long eventSeq;
    private long lotSeq;
    private long shipmentSeq;
    private long declarationSeq;
    private Instant last = Instant.EPOCH;
    private int scenarioEvents;

    /**
     * @param concurrency how many normal chains are open (interleaved) at once, at least 1
     */
    public ChainGenerator(DemoData.Province province, Licences licences, Set<Scenario> scenarios, long seed,
            String runId, Supplier<Instant> clock, int concurrency) {
        if (!runId.matches("[A-Za-z0-9]{1,16}")) {
            throw new IllegalArgumentException("run id must be 1 to 16 letters or digits: " + runId);
        }
        this.province = province;
        this.chain = province.chain();
        this.licences = licences;
        this.random = new Random(seed);
        this.runId = runId;
        this.clock = clock;
        this.concurrency = Math.max(1, concurrency);
        Set<Scenario> on = scenarios.isEmpty() ? EnumSet.noneOf(Scenario.class) : EnumSet.copyOf(scenarios);
        // quick ones first: their alerts need no further events
        if (on.contains(Scenario.CUSTODY_GAP)) {
            scenarioChains.add(custodyGap());
        }
        if (on.contains(Scenario.QUOTA_OVERRUN)) {
            scenarioChains.add(quotaOverrun());
        }
        if (on.contains(Scenario.UNLICENSED_EXPORT)) {
            scenarioChains.add(separationChain(pick(chain.mines()), chain.separationPlant(), NORMAL_YIELD,
                    Export.UNLICENSED_DYSPROSIUM, null));
        }
        if (on.contains(Scenario.TRANSSHIPMENT)) {
            scenarioChains.add(separationChain(pick(chain.mines()), chain.separationPlant(), NORMAL_YIELD,
                    Export.OMAN_TO_INDIA, null));
        }
        if (on.contains(Scenario.MASS_BALANCE_LEAK)) {
            scenarioChains.add(separationChain(pick(chain.mines()), chain.leakPlant(), LEAK_YIELD, Export.NONE, null));
            seeded.put(Scenario.MASS_BALANCE_LEAK, chain.leakPlant());
        }
        scenarioEvents = scenarioChains.stream().mapToInt(c -> c.steps.size()).sum();
    }

    /** How many of the first events belong to scenario chains. */
    public int scenarioEvents() {
        return scenarioEvents;
    }

    /** What each seeded scenario is about (declaration, shipment, facility or enterprise), for the operator. */
    public Map<Scenario, String> seeded() {
        return Collections.unmodifiableMap(seeded);
    }

    public String runId() {
        return runId;
    }

    /** The next event; the stream of events has no end. */
    public ChainEvent next() {
        while (!scenarioChains.isEmpty()) {
            Chain c = scenarioChains.peek();
            if (c.steps.isEmpty()) {
                scenarioChains.poll();
                continue;
            }
            return emit(c);
        }
        while (open.size() < concurrency) {
            open.add(normalChain());
        }
        Chain c = open.get(random.nextInt(open.size()));
        ChainEvent e = emit(c);
        if (c.steps.isEmpty()) {
            open.remove(c);
        }
        return e;
    }

    /** The remaining events of every open chain, so that nothing stays in transit; starts no new chain. */
    public List<ChainEvent> finishOpenChains() {
        List<ChainEvent> out = new ArrayList<>();
        for (Chain c : scenarioChains) {
            while (!c.steps.isEmpty()) {
                out.add(emit(c));
            }
        }
        scenarioChains.clear();
        for (Chain c : open) {
            while (!c.steps.isEmpty()) {
                out.add(emit(c));
            }
        }
        open.clear();
        return out;
    }

    // ---- chains ----------------------------------------------------------------------------------

    /** A chain: its events, built when emitted (the time is read then). */
    private static final class Chain {
        final Deque<Function<Instant, ChainEvent.Builder>> steps = new ArrayDeque<>();
        /** Past-dated chains: their events are this long before the clock (and do not move it on). */
        Duration backdated;
        Instant backdatedBase;
    }

    private enum Export {
        /** Normal: the export output is exported under the main licence, or goes to the magnet maker. */
        NORMAL,
        /** The dysprosium output is declared under a licence number never issued. */
        UNLICENSED_DYSPROSIUM,
        /** The dysprosium output is declared for Oman (valid licence) and carried to India. */
        OMAN_TO_INDIA,
        /** Nothing is exported from this chain. */
        NONE
    }

    private ChainEvent emit(Chain c) {
        Instant at;
        if (c.backdated != null) {
            if (c.backdatedBase == null) {
                c.backdatedBase = clock.get().minus(c.backdated);
            }
            // one minute apart, in order, all well in the past
            c.backdatedBase = c.backdatedBase.plusSeconds(60);
            at = c.backdatedBase;
        } else {
            Instant now = clock.get();
            at = now.isAfter(last) ? now : last;
            last = at;
        }
        ChainEvent.Builder b = c.steps.poll().apply(at);
        return b.setEventId(runId + "-" + (++eventSeq)).setOccurredAt(ts(at)).build();
    }

    private Chain normalChain() {
        return separationChain(pick(chain.mines()), chain.separationPlant(), NORMAL_YIELD, Export.NORMAL, null);
    }

    /** Mine -> separation plant -> outputs to export point, magnet maker and warehouse. */
    private Chain separationChain(String mine, String plant, BigDecimal yield, Export export, BigDecimal extracted) {
        Chain c = new Chain();
        BigDecimal mined = extracted != null ? extracted : between(chain.lotKgReo());
        String ore = lot();
        c.steps.add(at -> event(mine).setExtracted(Extracted.newBuilder().setLotId(ore).setMaterial(chain.ore())
                .setQuantity(q(mined))));
        BigDecimal atPlant = ship(c, mine, plant, ore, mined);
        List<DemoData.Output> outputs = chain.outputs();
        List<String> outLots = new ArrayList<>();
        List<BigDecimal> outQty = new ArrayList<>();
        for (DemoData.Output o : outputs) {
            outLots.add(lot());
            outQty.add(atPlant.multiply(new BigDecimal(o.share())).multiply(yield).divide(NORMAL_YIELD, 3,
                    RoundingMode.DOWN));
        }
        c.steps.add(at -> {
            Processed.Builder p = Processed.newBuilder().addInputs(LotQuantity.newBuilder().setLotId(ore)
                    .setQuantity(q(atPlant)));
            for (int i = 0; i < outputs.size(); i++) {
                DemoData.Output o = outputs.get(i);
                p.addOutputs(ProducedLot.newBuilder().setLotId(outLots.get(i)).setMaterial(o.material())
                        .setItemCode(o.itemCode()).setQuantity(q(outQty.get(i))));
            }
            return event(plant).setProcessed(p);
        });
        boolean exportsNormally = export == Export.NORMAL
                && random.nextDouble() < Double.parseDouble(chain.exportShare());
        for (int i = 0; i < outputs.size(); i++) {
            DemoData.Output o = outputs.get(i);
            String lot = outLots.get(i);
            BigDecimal qty = outQty.get(i);
            boolean dysprosium = "1C905".equals(o.itemCode());
            if ((export == Export.UNLICENSED_DYSPROSIUM || export == Export.OMAN_TO_INDIA) && dysprosium) {
                exportLot(c, plant, lot, qty, o, export);
            } else if ("EXPORT".equals(o.to()) && exportsNormally) {
                exportLot(c, plant, lot, qty, o, Export.NORMAL);
            } else if ("WAREHOUSE".equals(o.to())) {
                ship(c, plant, chain.warehouse(), lot, qty);
            } else {
                BigDecimal received = ship(c, plant, chain.magnetMaker(), lot, qty);
                BigDecimal product = received.multiply(new BigDecimal("0.97")).setScale(3, RoundingMode.DOWN);
                c.steps.add(at -> event(chain.magnetMaker()).setConsumed(Consumed.newBuilder()
                        .addInputs(LotQuantity.newBuilder().setLotId(lot).setQuantity(q(received)))
                        .setProduct(chain.product()).setProductQuantity(Quantity.newBuilder()
                                .setValue(product.toPlainString()).setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM))));
            }
        }
        return c;
    }

    private void exportLot(Chain c, String plant, String lot, BigDecimal qty, DemoData.Output o, Export export) {
        BigDecimal atPort = ship(c, plant, chain.exportPoint(), lot, qty);
        String declaration = province.code() + "-" + runId + "-D" + (++declarationSeq);
        DemoData.Licence main = province.licence("main");
        String licence;
        String declared;
        String carried;
        switch (export) {
            case UNLICENSED_DYSPROSIUM -> {
                // a licence number in the platform's format that was never issued
                licence = "EL-" + province.code() + "-" + clock.get().atZone(CHINA).getYear() + "-000000";
                declared = main.destination();
                carried = declared;
                seeded.put(Scenario.UNLICENSED_EXPORT, declaration);
            }
            case OMAN_TO_INDIA -> {
                licence = licences.oman();
                declared = TRANSSHIPMENT_DECLARED;
                carried = TRANSSHIPMENT_CARRIED;
                seeded.put(Scenario.TRANSSHIPMENT, declaration);
            }
            default -> {
                licence = licences.main();
                declared = main.destination();
                carried = declared;
            }
        }
        String exporter = export == Export.OMAN_TO_INDIA ? province.licence("oman").exporter() : main.exporter();
        BigDecimal price = new BigDecimal(chain.unitPrice().amount())
                .multiply(BigDecimal.valueOf(0.95 + random.nextDouble() * 0.1)).setScale(2, RoundingMode.HALF_UP);
        ItemRef item = ItemRef.newBuilder().setItemCode(o.itemCode()).setTariffCode(o.tariffCode()).build();
        c.steps.add(at -> event(chain.exportPoint()).setExportDeclared(ExportDeclared.newBuilder()
                .setDeclarationId(declaration).setLicenceNumber(licence).setExporterCreditCode(exporter).setLotId(lot)
                .setItem(item).setQuantity(q(atPort)).setDestinationCountryCode(declared)
                .setUnitPrice(Money.newBuilder().setAmount(price.toPlainString())
                        .setCurrencyCode(chain.unitPrice().currency()))));
        c.steps.add(at -> event(chain.exportPoint()).setExported(Exported.newBuilder().setDeclarationId(declaration)
                .setLotId(lot).setQuantity(q(atPort)).setCarrierDestinationCountryCode(carried)
                .setVesselOrFlight(chain.vesselOrFlight())));
    }

    /** Ships a whole lot and receives it (weighed within 0.2 %); returns the weighed quantity. */
    private BigDecimal ship(Chain c, String from, String to, String lot, BigDecimal qty) {
        String shipment = province.code() + "-" + runId + "-S" + (++shipmentSeq);
        long hours = 2 + random.nextInt(10);
        String vehicle = "TRUCK-" + (10000 + random.nextInt(90000));
        String seal = "SEAL-" + (100000 + random.nextInt(900000));
        BigDecimal weighed = qty.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(random.nextInt(41) - 20, 4)))
                .setScale(3, RoundingMode.HALF_UP);
        c.steps.add(at -> event(from).setShipped(Shipped.newBuilder().setShipmentId(shipment).setLotId(lot)
                .setQuantity(q(qty)).setToFacilityId(to).setCarrier(chain.carrier()).setVehicle(vehicle).setSeal(seal)
                .setExpectedArrival(ts(at.plus(Duration.ofHours(hours))))));
        c.steps.add(at -> event(to).setReceived(Received.newBuilder().setShipmentId(shipment)
                .setWeighedQuantity(q(weighed))));
        return weighed;
    }

    /** Extracted and shipped days ago; the shipment was due 50 h ago and never arrives. */
    private Chain custodyGap() {
        Chain c = new Chain();
        c.backdated = CUSTODY_GAP_OVERDUE.plusHours(30);
        String mine = pick(chain.mines());
        BigDecimal mined = between(chain.lotKgReo());
        String ore = lot();
        String shipment = province.code() + "-" + runId + "-S" + (++shipmentSeq);
        c.steps.add(at -> event(mine).setExtracted(Extracted.newBuilder().setLotId(ore).setMaterial(chain.ore())
                .setQuantity(q(mined))));
        // expected arrival: 50 h before the clock at the time of the event, whatever the event's own time
        c.steps.add(at -> event(mine).setShipped(Shipped.newBuilder().setShipmentId(shipment).setLotId(ore)
                .setQuantity(q(mined)).setToFacilityId(chain.warehouse()).setCarrier(chain.carrier())
                .setVehicle("TRUCK-" + (10000 + random.nextInt(90000))).setSeal("SEAL-" + (100000 + random.nextInt(900000)))
                .setExpectedArrival(ts(at.plus(Duration.ofHours(28))))));
        seeded.put(Scenario.CUSTODY_GAP, shipment);
        return c;
    }

    /** The small mine extracts more than its enterprise's whole mining quota; the ore goes on as usual. */
    private Chain quotaOverrun() {
        seeded.put(Scenario.QUOTA_OVERRUN, province.facility(chain.quotaMine()).enterprise());
        return separationChain(chain.quotaMine(), chain.separationPlant(), NORMAL_YIELD, Export.NONE,
                between(chain.quotaOverrunKgReo()));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private String lot() {
        return province.code() + "-" + runId + "-L" + (++lotSeq);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** A quantity between two bounds (kg REO, whole kilograms). */
    private BigDecimal between(List<String> bounds) {
        long lo = new BigDecimal(bounds.get(0)).longValueExact();
        long hi = new BigDecimal(bounds.get(1)).longValueExact();
        return BigDecimal.valueOf(lo + (long) (random.nextDouble() * (hi - lo))).setScale(3);
    }

    private static ChainEvent.Builder event(String facility) {
        return ChainEvent.newBuilder().setFacilityId(facility);
    }

    private static Quantity q(BigDecimal value) {
        return Quantity.newBuilder().setValue(value.stripTrailingZeros().toPlainString()).setUnit(UNIT).build();
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
