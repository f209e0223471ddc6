package org.exportcontrol.licensing.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Set;

import org.junit.jupiter.api.Test;

class WorkingDaysTest {

    // National Day week 2026: Thursday 1 to Saturday 3 October are holidays.
    private final WorkingDays calendar = new WorkingDays(Set.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2),
            LocalDate.of(2026, 10, 3)));

    @Test
    void weekendsAndHolidaysDoNotCount() {
        // Wednesday 30 September + 2 working days: Thu, Fri are holidays, Sat/Sun weekend -> Mon 5, Tue 6
        assertEquals(LocalDate.of(2026, 10, 6), calendar.plus(LocalDate.of(2026, 9, 30), 2));
        // Friday 27 November + 1 working day -> Monday 30 November
        assertEquals(LocalDate.of(2026, 11, 30), calendar.plus(LocalDate.of(2026, 11, 27), 1));
    }

    @Test
    void betweenCountsWorkingDaysAfterTheStartUpToTheEnd() {
        assertEquals(0, calendar.between(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 4)));
        assertEquals(2, calendar.between(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 6)));
        assertEquals(5, calendar.between(LocalDate.of(2026, 11, 20), LocalDate.of(2026, 11, 27)));
    }
}
