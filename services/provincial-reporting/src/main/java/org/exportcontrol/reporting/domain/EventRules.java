package org.exportcontrol.reporting.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.LotQuantity;
import org.exportcontrol.api.reporting.v1.ProducedLot;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.RequestSanity;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.identifiers.Countries;
import org.exportcontrol.platform.identifiers.CreditCode;

/** The shape every chain event must have before custody is even considered. */
public final class EventRules {

    // compiled once: ingest checks every field of every event
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,80}");
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern COUNT = Pattern.compile("\\d{1,15}(\\.\\d{1,6})?");
    private static final int MAX_LOTS = 100;

    private EventRules() {
    }

    /** The bad fields of an event (empty if well-formed). */
    public static List<String> problems(ChainEvent e, Instant now, Duration clockSkew) {
        // what the global interceptor refuses in unary requests, per event in a stream: a NUL in a
        // string or a timestamp beyond 9999 would otherwise fail the whole batch (time arithmetic,
        // PostgreSQL text), and a client resending it would stall its stream
        var insane = RequestSanity.firstViolation(e);
        if (insane.isPresent()) {
            return List.of(insane.get()[0] + ": " + insane.get()[1]);
        }
        Validation v = new Validation();
        v.require("event_id", EVENT_ID.matcher(e.getEventId()).matches(),
                "must be 1 to 64 letters, digits, '-', '_', '.' or ':'");
        v.require("facility_id", ID.matcher(e.getFacilityId()).matches(), "is required");
        if (!e.hasOccurredAt()) {
            v.add("occurred_at", "is required");
        } else if (Timestamps.toInstant(e.getOccurredAt()).isAfter(now.plus(clockSkew))) {
            v.add("occurred_at", "is in the future");
        }
        switch (e.getPayloadCase()) {
            case EXTRACTED -> {
                lot(v, "extracted.lot_id", e.getExtracted().getLotId());
                v.require("extracted.material", !e.getExtracted().getMaterial().isBlank(), "is required");
                quantity(v, "extracted.quantity", e.getExtracted().getQuantity());
            }
            case PROCESSED -> {
                inputs(v, "processed.inputs", e.getProcessed().getInputsList());
                v.require("processed.outputs", e.getProcessed().getOutputsCount() > 0
                        && e.getProcessed().getOutputsCount() <= MAX_LOTS, "must name 1 to " + MAX_LOTS + " output lots");
                for (int i = 0; i < e.getProcessed().getOutputsCount(); i++) {
                    ProducedLot out = e.getProcessed().getOutputs(i);
                    lot(v, "processed.outputs[" + i + "].lot_id", out.getLotId());
                    v.require("processed.outputs[" + i + "].material", !out.getMaterial().isBlank(), "is required");
                    quantity(v, "processed.outputs[" + i + "].quantity", out.getQuantity());
                }
            }
            case SHIPPED -> {
                var s = e.getShipped();
                v.require("shipped.shipment_id", ID.matcher(s.getShipmentId()).matches(), "is required");
                lot(v, "shipped.lot_id", s.getLotId());
                quantity(v, "shipped.quantity", s.getQuantity());
                v.require("shipped.to_facility_id", ID.matcher(s.getToFacilityId()).matches(), "is required");
                v.require("shipped.to_facility_id", !s.getToFacilityId().equals(e.getFacilityId()), "must be another facility");
                v.require("shipped.carrier", !s.getCarrier().isBlank(), "is required");
                v.require("shipped.expected_arrival", s.hasExpectedArrival(), "is required");
            }
            case RECEIVED -> {
                v.require("received.shipment_id", ID.matcher(e.getReceived().getShipmentId()).matches(), "is required");
                quantity(v, "received.weighed_quantity", e.getReceived().getWeighedQuantity());
            }
            case CONSUMED -> {
                inputs(v, "consumed.inputs", e.getConsumed().getInputsList());
                v.require("consumed.product", !e.getConsumed().getProduct().isBlank(), "is required");
            }
            case EXPORT_DECLARED -> {
                var d = e.getExportDeclared();
                v.requestId("export_declared.declaration_id", d.getDeclarationId());
                v.require("export_declared.licence_number", !d.getLicenceNumber().isBlank(), "is required");
                String code = CreditCode.problem(d.getExporterCreditCode());
                v.require("export_declared.exporter_credit_code", code == null, code);
                lot(v, "export_declared.lot_id", d.getLotId());
                v.require("export_declared.item.item_code", !d.getItem().getItemCode().isBlank(), "is required");
                quantity(v, "export_declared.quantity", d.getQuantity());
                v.require("export_declared.destination_country_code", Countries.isValid(d.getDestinationCountryCode())
                        && !"CN".equals(d.getDestinationCountryCode()), "must be an ISO 3166-1 alpha-2 code outside China");
                if (d.hasUnitPrice()) {
                    v.positiveDecimal("export_declared.unit_price.amount", d.getUnitPrice().getAmount());
                    v.require("export_declared.unit_price.currency_code", CURRENCY.matcher(d.getUnitPrice().getCurrencyCode()).matches(),
                            "must be an ISO 4217 code");
                }
            }
            case EXPORTED -> {
                var x = e.getExported();
                v.requestId("exported.declaration_id", x.getDeclarationId());
                lot(v, "exported.lot_id", x.getLotId());
                quantity(v, "exported.quantity", x.getQuantity());
                v.require("exported.carrier_destination_country_code", Countries.isValid(x.getCarrierDestinationCountryCode()),
                        "must be an ISO 3166-1 alpha-2 code");
            }
            case INVENTORY_COUNT -> {
                lot(v, "inventory_count.lot_id", e.getInventoryCount().getLotId());
                Quantity counted = e.getInventoryCount().getCounted();
                v.require("inventory_count.counted.value", COUNT.matcher(counted.getValue()).matches(),
                        "must be a decimal number (zero allowed)");
                unit(v, "inventory_count.counted.unit", counted.getUnit());
            }
            case PAYLOAD_NOT_SET -> v.add("payload", "one event kind is required");
        }
        List<String> out = new ArrayList<>();
        v.violations().forEach(fv -> out.add(fv.getField() + ": " + fv.getDescription()));
        return out;
    }

    private static void inputs(Validation v, String field, List<LotQuantity> inputs) {
        v.require(field, !inputs.isEmpty() && inputs.size() <= MAX_LOTS, "must name 1 to " + MAX_LOTS + " input lots");
        for (int i = 0; i < inputs.size(); i++) {
            lot(v, field + "[" + i + "].lot_id", inputs.get(i).getLotId());
            quantity(v, field + "[" + i + "].quantity", inputs.get(i).getQuantity());
        }
    }

    private static void lot(Validation v, String field, String lotId) {
        v.require(field, ID.matcher(lotId).matches(), "must be a lot id (1-80 letters, digits, '-', '_', '.', ':')");
    }

    private static void quantity(Validation v, String field, Quantity q) {
        v.positiveDecimal(field + ".value", q.getValue());
        unit(v, field + ".unit", q.getUnit());
    }

    private static void unit(Validation v, String field, QuantityUnit unit) {
        v.require(field, unit != QuantityUnit.QUANTITY_UNIT_UNSPECIFIED && unit != QuantityUnit.UNRECOGNIZED, "is required");
    }
}
