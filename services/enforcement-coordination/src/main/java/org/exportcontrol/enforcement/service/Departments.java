package org.exportcontrol.enforcement.service;

import org.exportcontrol.api.common.v1.Department;

/** Department enum names and the token's department claim ("customs", "public-security"). */
public final class Departments {

    private Departments() {
    }

    public static String claim(Department d) {
        return d.name().substring("DEPARTMENT_".length()).toLowerCase().replace('_', '-');
    }

    public static boolean isDepartment(Department d) {
        return d != Department.DEPARTMENT_UNSPECIFIED && d != Department.UNRECOGNIZED;
    }
}
