package org.exportcontrol.platform.identifiers;

import java.time.DateTimeException;
import java.time.LocalDate;

import com.google.type.Date;

/** Conversions between {@code google.type.Date} and {@link LocalDate}. */
public final class Dates {

    private Dates() {
    }

    /** The date, or null if the message is unset or not a valid calendar date. */
    public static LocalDate toLocalDate(Date date) {
        if (date == null || (date.getYear() == 0 && date.getMonth() == 0 && date.getDay() == 0)) {
            return null;
        }
        try {
            return LocalDate.of(date.getYear(), date.getMonth(), date.getDay());
        } catch (DateTimeException e) {
            return null;
        }
    }

    public static boolean isSet(Date date) {
        return date != null && (date.getYear() != 0 || date.getMonth() != 0 || date.getDay() != 0);
    }

    public static Date of(LocalDate date) {
        return Date.newBuilder().setYear(date.getYear()).setMonth(date.getMonthValue()).setDay(date.getDayOfMonth()).build();
    }
}
