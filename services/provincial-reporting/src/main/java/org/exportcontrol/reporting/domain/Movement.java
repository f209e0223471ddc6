package org.exportcontrol.reporting.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** One line of a facility's stock ledger. */
public record Movement(String facilityId, String lotId, long recordId, String kind, BigDecimal delta, String unit,
        Instant occurredAt) {

    public static final String EXTRACTED = "EXTRACTED";
    public static final String RECEIVED = "RECEIVED";
    public static final String SHIPPED = "SHIPPED";
    public static final String CONSUMED = "CONSUMED";
    public static final String EXPORTED = "EXPORTED";
    public static final String PROCESS_IN = "PROCESS_IN";
    public static final String PROCESS_OUT = "PROCESS_OUT";
    public static final String COUNT_ADJUSTMENT = "COUNT_ADJUSTMENT";
}
