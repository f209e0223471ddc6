package org.exportcontrol.gateway.ui;

import java.util.List;

import io.quarkus.qute.TemplateGlobal;

/** The fixed choices forms and filters offer, as template globals. */
@TemplateGlobal
public final class Choices {

    /** Departments that take part in cases and receive tasks. */
    static final List<String> departments = List.of("DEPARTMENT_CUSTOMS", "DEPARTMENT_PUBLIC_SECURITY", "DEPARTMENT_COMMERCE",
            "DEPARTMENT_MARKET_REGULATION", "DEPARTMENT_INDUSTRY");

    static final List<String> alertStates = List.of("ALERT_STATE_OPEN", "ALERT_STATE_CASE_OPENED", "ALERT_STATE_DISMISSED");

    private Choices() {
    }
}
