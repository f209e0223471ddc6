package org.exportcontrol.simulator.generator;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The violations the simulator can seed, each with the enforcement rule it must trip. */
public enum Scenario {

    /** A dysprosium export declared under a licence number that was never issued. */
    UNLICENSED_EXPORT("unlicensed-export", "UNLICENSED_EXPORT"),
    /** Declared for Oman (under a valid licence to Oman), the carrier takes it to India. */
    TRANSSHIPMENT("transshipment", "DESTINATION_MISMATCH"),
    /** A shipment dated in the past whose expected arrival passed more than 48 h ago, never received. */
    CUSTODY_GAP("custody-gap", "CUSTODY_GAP"),
    /** A separation plant whose outputs are 10 % short of its inputs this month. */
    MASS_BALANCE_LEAK("mass-balance-leak", "MASS_BALANCE_DISCREPANCY"),
    /** A small mine extracting beyond its enterprise's mining quota for the year. */
    QUOTA_OVERRUN("quota-overrun", "QUOTA_OVERRUN");

    private final String cliName;
    private final String ruleCode;

    Scenario(String cliName, String ruleCode) {
        this.cliName = cliName;
        this.ruleCode = ruleCode;
    }

    public String cliName() {
        return cliName;
    }

    /** The enforcement rule code the scenario's alert cites. */
    public String ruleCode() {
        return ruleCode;
    }

    public static String names() {
        return Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining(", "));
    }

    /** "all", "none", or a comma-separated list of scenario names. */
    public static Set<Scenario> parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("all")) {
            return EnumSet.allOf(Scenario.class);
        }
        if (s.equals("none")) {
            return EnumSet.noneOf(Scenario.class);
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("--scenarios is empty; give all, none or a list of: " + names());
        }
        Set<Scenario> out = EnumSet.noneOf(Scenario.class);
        for (String name : s.split(",")) {
            String n = name.trim();
            out.add(Arrays.stream(values()).filter(v -> v.cliName.equals(n)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + n + "'; known: all, none, "
                            + names())));
        }
        return out;
    }
}
