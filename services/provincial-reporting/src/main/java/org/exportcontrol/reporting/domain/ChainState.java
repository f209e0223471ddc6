package org.exportcontrol.reporting.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.enforcement.v1.SubjectType;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.ExportDeclared;
import org.exportcontrol.api.reporting.v1.Exported;
import org.exportcontrol.api.reporting.v1.LotQuantity;
import org.exportcontrol.api.reporting.v1.ProducedLot;
import org.exportcontrol.api.reporting.v1.Received;
import org.exportcontrol.api.reporting.v1.Shipped;
import org.exportcontrol.platform.grpc.Timestamps;

/**
 * The custody rules, over the lots, shipments and declarations a batch of events touches. Pure
 * Java: {@link #check} says whether an event can be applied now (or must be rejected, or parked
 * until what it depends on arrives); {@link #apply} changes the state and records the rows and
 * signals the batch will commit.
 */
public final class ChainState {

    /** Why an event cannot be applied now. */
    public sealed interface Verdict permits Rejected, Parked {
    }

    public record Rejected(String reason, String message) implements Verdict {
    }

    public record Parked(String waitingFor) implements Verdict {
    }

    /** A declaration made earlier (or in this batch). */
    public record Declaration(String declarationId, String lotId, String licenceNumber, String destination,
            BigDecimal quantity, String licenceAnswer, long recordId, String exporter, String itemCode) {
    }

    /** An event that touched a lot after creating it (table lot_event). */
    public record LotEvent(String lotId, long recordId) {
    }

    /** A province a lot has been in after its creation (table lot_province). */
    public record LotProvince(String lotId, String provinceCode) {
    }

    /** An applied export declaration or export, for the export statistics (table export_fact). */
    public record ExportFact(long recordId, String kind, Instant occurredAt, String itemCode, String provinceCode,
            Quantity quantity) {
        public static final String DECLARED = "DECLARED";
        public static final String EXPORTED = "EXPORTED";
    }

    public final Map<String, LotState> lots;
    public final Map<String, ShipmentState> shipments;
    public final Map<String, FacilityInfo> facilities;
    public final Map<String, Declaration> declarations;
    private final BigDecimal tolerance;

    public final List<Movement> movements = new ArrayList<>();
    /** Which events touched which lot (the trace's index); a set, as one event may name a lot twice. */
    public final Set<LotEvent> lotEvents = new LinkedHashSet<>();
    public final List<Object[]> lotLinks = new ArrayList<>();
    /** The provinces each lot passed through (who may read its trace). */
    public final Set<LotProvince> lotProvinces = new LinkedHashSet<>();
    public final List<Declaration> newDeclarations = new ArrayList<>();
    public final List<ExportFact> exportFacts = new ArrayList<>();
    public final List<SignalDraft> signals = new ArrayList<>();
    /** Dependencies created by this batch ("lot:x", "shipment:y", "declaration:z"): parked events may now apply. */
    public final Set<String> created = new LinkedHashSet<>();
    /** Facilities whose stock changed by processing or counting: their loss is measured again. */
    public final Set<String> lossChanged = new LinkedHashSet<>();

    /**
     * @param tolerancePercent the weighing tolerance, e.g. 0.5 (%)
     */
    public ChainState(Map<String, LotState> lots, Map<String, ShipmentState> shipments,
            Map<String, FacilityInfo> facilities, Map<String, Declaration> declarations, BigDecimal tolerancePercent) {
        this.lots = new HashMap<>(lots);
        this.shipments = new HashMap<>(shipments);
        this.facilities = facilities;
        this.declarations = new HashMap<>(declarations);
        this.tolerance = tolerancePercent.movePointLeft(2);
    }

    /** Null if the event can be applied now. */
    public Verdict check(ChainEvent e, FacilityInfo at) {
        Instant when = Timestamps.toInstant(e.getOccurredAt());
        return switch (e.getPayloadCase()) {
            case EXTRACTED -> {
                if (!"MINE".equals(at.kind())) {
                    yield new Rejected("WRONG_FACILITY_KIND", "lots are extracted at mines; " + at.id() + " is a " + at.kind());
                }
                yield lots.containsKey(e.getExtracted().getLotId())
                        ? new Rejected("LOT_EXISTS", "lot " + e.getExtracted().getLotId() + " exists") : null;
            }
            case PROCESSED -> {
                Verdict inputs = checkInputs(e.getProcessed().getInputsList(), at, when);
                if (inputs != null) {
                    yield inputs;
                }
                String unit = e.getProcessed().getInputs(0).getQuantity().getUnit().name();
                for (ProducedLot out : e.getProcessed().getOutputsList()) {
                    if (lots.containsKey(out.getLotId())) {
                        yield new Rejected("LOT_EXISTS", "lot " + out.getLotId() + " exists");
                    }
                    if (!out.getQuantity().getUnit().name().equals(unit)) {
                        yield new Rejected("UNIT_MISMATCH", "outputs must be counted in the inputs' unit " + unit);
                    }
                }
                yield null;
            }
            case SHIPPED -> {
                Shipped s = e.getShipped();
                if (shipments.containsKey(s.getShipmentId())) {
                    yield new Rejected("SHIPMENT_EXISTS", "shipment " + s.getShipmentId() + " exists");
                }
                if (!facilities.containsKey(s.getToFacilityId())) {
                    yield new Rejected("UNKNOWN_FACILITY", "destination facility " + s.getToFacilityId() + " is not registered");
                }
                Verdict holder = checkHolder(s.getLotId(), s.getQuantity(), at, when);
                if (holder != null) {
                    yield holder;
                }
                LotState lot = lots.get(s.getLotId());
                BigDecimal q = decimal(s.getQuantity());
                if (q.compareTo(lot.remaining.multiply(BigDecimal.ONE.subtract(tolerance))) < 0) {
                    yield new Rejected("PARTIAL_SHIPMENT", "a shipment moves a whole lot (" + plain(lot.remaining) + " "
                            + lot.unit + " remain); split it by a processed event first");
                }
                yield null;
            }
            case RECEIVED -> {
                Received r = e.getReceived();
                ShipmentState s = shipments.get(r.getShipmentId());
                if (s == null) {
                    yield new Parked("shipment:" + r.getShipmentId());
                }
                if (!s.toFacility.equals(at.id())) {
                    yield new Rejected("WRONG_DESTINATION", "shipment " + s.shipmentId + " goes to " + s.toFacility);
                }
                if (s.received) {
                    yield new Rejected("ALREADY_RECEIVED", "shipment " + s.shipmentId + " was received");
                }
                if (!r.getWeighedQuantity().getUnit().name().equals(s.unit)) {
                    yield new Rejected("UNIT_MISMATCH", "shipment " + s.shipmentId + " is counted in " + s.unit);
                }
                yield null;
            }
            case CONSUMED -> checkInputs(e.getConsumed().getInputsList(), at, when);
            case EXPORT_DECLARED -> {
                ExportDeclared d = e.getExportDeclared();
                if (declarations.containsKey(d.getDeclarationId())) {
                    yield new Rejected("DECLARATION_EXISTS", "declaration " + d.getDeclarationId() + " was reported");
                }
                yield checkHolder(d.getLotId(), d.getQuantity(), at, when);
            }
            case EXPORTED -> {
                Exported x = e.getExported();
                if (!declarations.containsKey(x.getDeclarationId())) {
                    yield new Parked("declaration:" + x.getDeclarationId());
                }
                yield checkHolder(x.getLotId(), x.getQuantity(), at, when);
            }
            case INVENTORY_COUNT -> {
                LotState lot = lots.get(e.getInventoryCount().getLotId());
                if (lot == null) {
                    yield new Parked("lot:" + e.getInventoryCount().getLotId());
                }
                if (lot.status != LotState.Status.HELD || !lot.facilityId.equals(at.id())) {
                    yield new Rejected("NOT_HOLDER", at.id() + " does not hold lot " + lot.lotId);
                }
                yield lot.unit.equals(e.getInventoryCount().getCounted().getUnit().name()) ? null
                        : new Rejected("UNIT_MISMATCH", "lot " + lot.lotId + " is counted in " + lot.unit);
            }
            case PAYLOAD_NOT_SET -> new Rejected("INVALID_EVENT", "no payload");
        };
    }

    /** Applies an event that {@link #check} let through. */
    public void apply(ChainEvent e, FacilityInfo at, long recordId, String licenceAnswer) {
        Instant when = Timestamps.toInstant(e.getOccurredAt());
        String record = "EV-" + recordId;
        switch (e.getPayloadCase()) {
            case EXTRACTED -> {
                var x = e.getExtracted();
                LotState lot = newLot(x.getLotId(), x.getMaterial(), "", x.getQuantity(), at, when, recordId);
                movements.add(new Movement(at.id(), lot.lotId, recordId, Movement.EXTRACTED, lot.remaining, lot.unit, when));
            }
            case PROCESSED -> {
                for (LotQuantity in : e.getProcessed().getInputsList()) {
                    take(in.getLotId(), decimal(in.getQuantity()), at, recordId, Movement.PROCESS_IN, when);
                }
                for (ProducedLot out : e.getProcessed().getOutputsList()) {
                    LotState lot = newLot(out.getLotId(), out.getMaterial(), out.getItemCode(), out.getQuantity(), at, when,
                            recordId);
                    movements.add(new Movement(at.id(), lot.lotId, recordId, Movement.PROCESS_OUT, lot.remaining, lot.unit, when));
                    for (LotQuantity in : e.getProcessed().getInputsList()) {
                        lotLinks.add(new Object[] {in.getLotId(), lot.lotId, recordId});
                    }
                }
                lossChanged.add(at.id());
            }
            case SHIPPED -> {
                Shipped s = e.getShipped();
                LotState lot = lots.get(s.getLotId());
                BigDecimal q = decimal(s.getQuantity());
                movements.add(new Movement(at.id(), lot.lotId, recordId, Movement.SHIPPED, lot.remaining.negate(), lot.unit, when));
                FacilityInfo to = facilities.get(s.getToFacilityId());
                lot.status = LotState.Status.IN_TRANSIT;
                lot.facilityId = to.id();
                lot.provinceCode = to.provinceCode();
                lot.remaining = q;
                lot.lastEventAt = when;
                lot.dirty = true;
                ShipmentState shipment = new ShipmentState();
                shipment.shipmentId = s.getShipmentId();
                shipment.lotId = lot.lotId;
                shipment.quantity = q;
                shipment.unit = lot.unit;
                shipment.fromFacility = at.id();
                shipment.toFacility = to.id();
                shipment.expectedArrival = Timestamps.toInstant(s.getExpectedArrival());
                shipment.shippedRecord = recordId;
                shipment.dirty = true;
                shipments.put(shipment.shipmentId, shipment);
                created.add("shipment:" + shipment.shipmentId);
                touch(lot.lotId, recordId, at);
                lotProvinces.add(new LotProvince(lot.lotId, to.provinceCode()));
            }
            case RECEIVED -> {
                Received r = e.getReceived();
                ShipmentState s = shipments.get(r.getShipmentId());
                BigDecimal weighed = decimal(r.getWeighedQuantity());
                s.received = true;
                s.receivedRecord = recordId;
                s.receivedQuantity = weighed;
                s.dirty = true;
                LotState lot = lots.get(s.lotId);
                lot.status = LotState.Status.HELD;
                lot.facilityId = at.id();
                lot.provinceCode = at.provinceCode();
                lot.remaining = weighed;
                lot.lastEventAt = max(lot.lastEventAt, when);
                lot.dirty = true;
                movements.add(new Movement(at.id(), lot.lotId, recordId, Movement.RECEIVED, weighed, lot.unit, when));
                touch(lot.lotId, recordId, at);
                BigDecimal difference = weighed.subtract(s.quantity);
                BigDecimal percent = difference.abs().multiply(BigDecimal.valueOf(100))
                        .divide(s.quantity, 2, RoundingMode.HALF_UP);
                if (percent.compareTo(tolerance.movePointRight(2)) > 0) {
                    signals.add(new SignalDraft(SignalKind.SIGNAL_KIND_TRANSIT_LOSS, SubjectType.SUBJECT_TYPE_SHIPMENT,
                            s.shipmentId, at.provinceCode(), measurements("shipped", plain(s.quantity), lot.unit,
                                    "received", plain(weighed), lot.unit, "difference_percent", plain(percent), "%"),
                            Map.of("from_facility", s.fromFacility, "to_facility", s.toFacility, "lot_id", lot.lotId),
                            null, when, List.of("EV-" + s.shippedRecord, record)));
                }
            }
            case CONSUMED -> {
                for (LotQuantity in : e.getConsumed().getInputsList()) {
                    take(in.getLotId(), decimal(in.getQuantity()), at, recordId, Movement.CONSUMED, when);
                }
            }
            case EXPORT_DECLARED -> {
                ExportDeclared d = e.getExportDeclared();
                Declaration declaration = new Declaration(d.getDeclarationId(), d.getLotId(), d.getLicenceNumber(),
                        d.getDestinationCountryCode(), decimal(d.getQuantity()), licenceAnswer, recordId,
                        d.getExporterCreditCode(), d.getItem().getItemCode());
                declarations.put(d.getDeclarationId(), declaration);
                exportFacts.add(new ExportFact(recordId, ExportFact.DECLARED, when, d.getItem().getItemCode(),
                        at.provinceCode(), d.getQuantity()));
                newDeclarations.add(declaration);
                created.add("declaration:" + d.getDeclarationId());
                LotState lot = lots.get(d.getLotId());
                lot.lastEventAt = max(lot.lastEventAt, when);
                lot.dirty = true;
                touch(lot.lotId, recordId, at);
                signals.add(new SignalDraft(SignalKind.SIGNAL_KIND_EXPORT_DECLARED, SubjectType.SUBJECT_TYPE_DECLARATION,
                        d.getDeclarationId(), at.provinceCode(),
                        measurements("quantity", plain(decimal(d.getQuantity())), d.getQuantity().getUnit().name()),
                        facts("licence_number", d.getLicenceNumber(), "licence_answer", licenceAnswer,
                                "declared_destination", d.getDestinationCountryCode(), "exporter",
                                d.getExporterCreditCode(), "item_code", d.getItem().getItemCode(), "lot_id", d.getLotId()),
                        d.hasUnitPrice() ? d.getUnitPrice() : null, when, List.of(record, d.getDeclarationId())));
            }
            case EXPORTED -> {
                Exported x = e.getExported();
                take(x.getLotId(), decimal(x.getQuantity()), at, recordId, Movement.EXPORTED, when);
                LotState lot = lots.get(x.getLotId());
                if (lot.remaining.signum() == 0) {
                    lot.status = LotState.Status.EXPORTED;
                }
                Declaration declared = declarations.get(x.getDeclarationId());
                exportFacts.add(new ExportFact(recordId, ExportFact.EXPORTED, when, declared.itemCode(), at.provinceCode(),
                        x.getQuantity()));
                if (!declared.destination().equals(x.getCarrierDestinationCountryCode())) {
                    signals.add(new SignalDraft(SignalKind.SIGNAL_KIND_EXPORTED_TO_OTHER_DESTINATION,
                            SubjectType.SUBJECT_TYPE_DECLARATION, x.getDeclarationId(), at.provinceCode(),
                            measurements("quantity", plain(decimal(x.getQuantity())), x.getQuantity().getUnit().name()),
                            facts("declared_destination", declared.destination(), "carrier_destination",
                                    x.getCarrierDestinationCountryCode(), "licence_number", declared.licenceNumber(),
                                    "exporter", declared.exporter(), "lot_id", x.getLotId()),
                            null, when, List.of(record, "EV-" + declared.recordId(), x.getDeclarationId())));
                }
            }
            case INVENTORY_COUNT -> {
                LotState lot = lots.get(e.getInventoryCount().getLotId());
                BigDecimal counted = decimal(e.getInventoryCount().getCounted());
                movements.add(new Movement(at.id(), lot.lotId, recordId, Movement.COUNT_ADJUSTMENT,
                        counted.subtract(lot.remaining), lot.unit, when));
                lot.remaining = counted;
                if (counted.signum() == 0) {
                    lot.status = LotState.Status.USED_UP;
                }
                lot.lastEventAt = max(lot.lastEventAt, when);
                lot.dirty = true;
                touch(lot.lotId, recordId, at);
                lossChanged.add(at.id());
            }
            case PAYLOAD_NOT_SET -> throw new IllegalStateException("checked before");
        }
    }

    /** The lot a waiting event depends on, for events that name lots but not yet known. */
    private Verdict checkInputs(List<LotQuantity> inputs, FacilityInfo at, Instant when) {
        String unit = null;
        for (LotQuantity in : inputs) {
            Verdict v = checkHolder(in.getLotId(), in.getQuantity(), at, when);
            if (v != null) {
                return v;
            }
            if (unit != null && !unit.equals(in.getQuantity().getUnit().name())) {
                return new Rejected("UNIT_MISMATCH", "all input lots must be counted in one unit");
            }
            unit = in.getQuantity().getUnit().name();
        }
        return null;
    }

    /** Only the holder acts on a lot, in time order, and never beyond what remains (within tolerance). */
    private Verdict checkHolder(String lotId, Quantity quantity, FacilityInfo at, Instant when) {
        LotState lot = lots.get(lotId);
        if (lot == null) {
            return new Parked("lot:" + lotId);
        }
        if (lot.status != LotState.Status.HELD || !lot.facilityId.equals(at.id())) {
            return new Rejected("NOT_HOLDER", at.id() + " does not hold lot " + lotId + " (" + lot.status + " at "
                    + lot.facilityId + ")");
        }
        if (when.isBefore(lot.lastEventAt)) {
            return new Rejected("OUT_OF_ORDER", "lot " + lotId + " has a later event (" + lot.lastEventAt + ")");
        }
        if (!lot.unit.equals(quantity.getUnit().name())) {
            return new Rejected("UNIT_MISMATCH", "lot " + lotId + " is counted in " + lot.unit);
        }
        if (decimal(quantity).compareTo(lot.remaining.multiply(BigDecimal.ONE.add(tolerance))) > 0) {
            return new Rejected("OVER_REMAINING", plain(decimal(quantity)) + " " + lot.unit + " is more than the "
                    + plain(lot.remaining) + " left of lot " + lotId);
        }
        return null;
    }

    private void take(String lotId, BigDecimal q, FacilityInfo at, long recordId, String kind, Instant when) {
        LotState lot = lots.get(lotId);
        BigDecimal taken = q.min(lot.remaining);
        lot.remaining = lot.remaining.subtract(taken);
        if (lot.remaining.signum() == 0) {
            lot.status = LotState.Status.USED_UP;
        }
        lot.lastEventAt = max(lot.lastEventAt, when);
        lot.dirty = true;
        movements.add(new Movement(at.id(), lotId, recordId, kind, taken.negate(), lot.unit, when));
        touch(lotId, recordId, at);
    }

    /** A lot created by event {@code recordId}, which the lot's row names (no lot_event or lot_province row for it). */
    private LotState newLot(String id, String material, String itemCode, Quantity q, FacilityInfo at, Instant when,
            long recordId) {
        LotState lot = new LotState();
        lot.createdRecord = recordId;
        lot.createdProvince = at.provinceCode();
        lot.lotId = id;
        lot.material = material;
        lot.itemCode = itemCode;
        lot.unit = q.getUnit().name();
        lot.createdQuantity = decimal(q);
        lot.remaining = lot.createdQuantity;
        lot.status = LotState.Status.HELD;
        lot.facilityId = at.id();
        lot.provinceCode = at.provinceCode();
        lot.lastEventAt = when;
        lot.dirty = true;
        lots.put(id, lot);
        created.add("lot:" + id);
        return lot;
    }

    private void touch(String lotId, long recordId, FacilityInfo at) {
        lotEvents.add(new LotEvent(lotId, recordId));
        lotProvinces.add(new LotProvince(lotId, at.provinceCode()));
    }

    static BigDecimal decimal(Quantity q) {
        return new BigDecimal(q.getValue());
    }

    static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Map<String, String[]> measurements(String... nameValueUnit) {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (int i = 0; i + 2 < nameValueUnit.length; i += 3) {
            out.put(nameValueUnit[i], new String[] {nameValueUnit[i + 1], nameValueUnit[i + 2]});
        }
        return out;
    }

    private static Map<String, String> facts(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
