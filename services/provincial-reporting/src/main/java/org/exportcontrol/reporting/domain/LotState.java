package org.exportcontrol.reporting.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** A lot as the batch sees it: loaded from the database or created by an event of the batch. */
public final class LotState {

    public enum Status {
        HELD, IN_TRANSIT, USED_UP, EXPORTED
    }

    public String lotId;
    public String material;
    public String itemCode;
    public String unit;
    public BigDecimal createdQuantity;
    public BigDecimal remaining;
    public Status status;
    public String facilityId;
    public String provinceCode;
    public Instant lastEventAt;
    /** The event that created the lot and its province (stored on the lot row, not in lot_event or lot_province). */
    public long createdRecord;
    public String createdProvince;
    /** Changed by this batch: written back at commit. */
    public boolean dirty;
    /** Read from the database (written back by an update); false for a lot this batch creates (an insert). */
    public boolean stored;
}
