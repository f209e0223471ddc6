package org.exportcontrol.enforcement.service;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

import org.exportcontrol.api.enforcement.v1.Measurement;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;

/**
 * The rules that need nothing but the signal itself and the threshold. Rules that need other data
 * (UNDERVALUATION: the reference price; STRUCTURING: earlier declarations) are in {@link Signals}.
 */
public final class RuleEvaluator {

    public static final String ACCEPTED = "ACCEPTED";
    /** Licence answers that mean "licensed, but beyond the licence". */
    public static final Set<String> OVER_LICENCE = Set.of("LICENCE_BALANCE_EXCEEDED", "LICENCE_EXHAUSTED");

    private RuleEvaluator() {
    }

    /** A summary of why the rule fired, or empty if it did not (or is evaluated elsewhere). */
    public static Optional<String> evaluate(String code, BigDecimal threshold, RaiseSignalRequest s) {
        String answer = s.getFactsOrDefault("licence_answer", "");
        return switch (code) {
            case "UNLICENSED_EXPORT" -> !ACCEPTED.equals(answer) && !OVER_LICENCE.contains(answer)
                    ? Optional.of("export declared without a valid licence (licensing answered " + answer + ")")
                    : Optional.empty();
            case "EXPORT_OVER_LICENCE" -> OVER_LICENCE.contains(answer)
                    ? Optional.of("export declared beyond the licence (licensing answered " + answer + ")")
                    : Optional.empty();
            case "DESTINATION_MISMATCH" -> {
                String declared = s.getFactsOrDefault("declared_destination", "");
                String carrier = s.getFactsOrDefault("carrier_destination", "");
                yield !declared.equals(carrier)
                        ? Optional.of("declared for " + declared + ", shipped to " + carrier)
                        : Optional.empty();
            }
            case "CUSTODY_GAP" -> measured(s, "hours_overdue")
                    .filter(v -> v.compareTo(threshold) >= 0)
                    .map(v -> "shipment " + v.toPlainString() + " h overdue (threshold " + threshold.toPlainString() + " h)");
            case "MASS_BALANCE_DISCREPANCY" -> measured(s, "loss_percent")
                    .filter(v -> v.compareTo(threshold) > 0)
                    .map(v -> "facility loss " + v.toPlainString() + " % (threshold " + threshold.toPlainString() + " %)");
            case "TRANSIT_DISCREPANCY" -> measured(s, "difference_percent")
                    .filter(v -> v.abs().compareTo(threshold) > 0)
                    .map(v -> "transit difference " + v.toPlainString() + " % (threshold " + threshold.toPlainString() + " %)");
            case "QUOTA_OVERRUN" -> measured(s, "use_percent")
                    .filter(v -> v.compareTo(threshold) > 0)
                    .map(v -> "quota use " + v.toPlainString() + " % (threshold " + threshold.toPlainString() + " %)");
            case "WATCH_LISTED_CONSIGNEE" -> Optional.of("a party matched the watch list"
                    + (s.getFactsOrDefault("party", "").isEmpty() ? "" : ": " + s.getFactsOrDefault("party", "")));
            default -> Optional.empty();
        };
    }

    /** The measurement's value, if the signal has it and it is a decimal. */
    public static Optional<BigDecimal> measured(RaiseSignalRequest s, String name) {
        for (Measurement m : s.getMeasurementsList()) {
            if (m.getName().equals(name)) {
                try {
                    return Optional.of(new BigDecimal(m.getValue()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
