package org.exportcontrol.reporting.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.enforcement.v1.SubjectType;

/** A measured fact to signal to enforcement once the batch commits. */
public record SignalDraft(SignalKind kind, SubjectType subjectType, String subjectId, String provinceCode,
        Map<String, String[]> measurements, Map<String, String> facts, Money unitPrice, Instant occurredAt,
        List<String> evidence) {
}
