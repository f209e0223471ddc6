package org.exportcontrol.reporting.domain;

/** What ingestion needs to know of a facility. */
public record FacilityInfo(String id, String kind, String provinceCode, String enterpriseCreditCode) {
}
