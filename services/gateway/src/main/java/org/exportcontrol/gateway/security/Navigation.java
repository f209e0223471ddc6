package org.exportcontrol.gateway.security;

import java.util.List;
import java.util.Set;

import org.exportcontrol.platform.security.Caller;

/**
 * The pages a person sees in the menu, by role. Only presentation: the services decide what each
 * call may do and return only data inside the caller's jurisdiction.
 */
public final class Navigation {

    public record Item(String key, String path) {
    }

    private record Entry(Item item, Set<String> roles) {
    }

    private static final Set<String> STAFF = Set.of("national-coordinator", "licensing-officer", "licensing-reviewer",
            "provincial-supervisor", "inspector", "enforcement-officer", "department-officer", "quota-officer", "analyst",
            "auditor");

    private static final List<Entry> ENTRIES = List.of(
            new Entry(new Item("nav.dashboard", "/"), STAFF),
            new Entry(new Item("nav.applications", "/applications"), Set.of("exporter", "licensing-officer",
                    "licensing-reviewer", "department-officer", "analyst", "auditor", "national-coordinator")),
            new Entry(new Item("nav.licences", "/licences"), Set.of("exporter", "licensing-officer", "licensing-reviewer",
                    "department-officer", "enforcement-officer", "analyst", "auditor", "national-coordinator")),
            new Entry(new Item("nav.trace", "/trace"), Set.of("provincial-supervisor", "inspector", "enforcement-officer",
                    "department-officer", "analyst", "auditor", "national-coordinator")),
            new Entry(new Item("nav.alerts", "/alerts"), Set.of("national-coordinator", "provincial-supervisor",
                    "enforcement-officer", "analyst", "auditor")),
            new Entry(new Item("nav.cases", "/cases"), Set.of("national-coordinator", "provincial-supervisor",
                    "enforcement-officer", "department-officer", "auditor")),
            new Entry(new Item("nav.directives", "/directives"), Set.of("national-coordinator", "provincial-supervisor",
                    "enforcement-officer", "department-officer", "auditor")),
            new Entry(new Item("nav.compliance", "/compliance"), Set.of("inspector", "provincial-supervisor",
                    "enforcement-officer", "analyst", "auditor", "national-coordinator")),
            new Entry(new Item("nav.inbox", "/inbox"), STAFF),
            new Entry(new Item("nav.audit", "/audit"), Set.of("auditor", "national-coordinator")),
            new Entry(new Item("nav.admin", "/admin/provinces"), Set.of("national-coordinator")));

    private Navigation() {
    }

    public static List<Item> itemsFor(Caller caller) {
        return ENTRIES.stream()
                .filter(e -> e.roles().stream().anyMatch(caller::hasRole))
                .filter(e -> !e.item().key().equals("nav.admin") || caller.jurisdiction().isNational())
                .map(Entry::item).toList();
    }

    public static boolean allows(Caller caller, String path) {
        return itemsFor(caller).stream().anyMatch(i -> i.path().equals(path));
    }
}
