package org.exportcontrol.reporting.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** A shipment: custody between two facilities. */
public final class ShipmentState {

    public String shipmentId;
    public String lotId;
    public BigDecimal quantity;
    public String unit;
    public String fromFacility;
    public String toFacility;
    public Instant expectedArrival;
    public long shippedRecord;
    public Long receivedRecord;
    public BigDecimal receivedQuantity;
    public boolean received;
    public boolean dirty;
}
