package org.exportcontrol.platform.security;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A level of the command chain: the national level, or one province-level division identified by
 * its GB/T 2260 code. The national level covers every province; a province covers only itself.
 */
public record Jurisdiction(String code) {

    public static final String NATIONAL_CODE = "national";
    public static final Jurisdiction NATIONAL = new Jurisdiction(NATIONAL_CODE);

    /** Province-level divisions of GB/T 2260 with their English names. */
    private static final Map<String, String> PROVINCES = Map.ofEntries(
            Map.entry("110000", "Beijing"), Map.entry("120000", "Tianjin"), Map.entry("130000", "Hebei"),
            Map.entry("140000", "Shanxi"), Map.entry("150000", "Inner Mongolia"), Map.entry("210000", "Liaoning"),
            Map.entry("220000", "Jilin"), Map.entry("230000", "Heilongjiang"), Map.entry("310000", "Shanghai"),
            Map.entry("320000", "Jiangsu"), Map.entry("330000", "Zhejiang"), Map.entry("340000", "Anhui"),
            Map.entry("350000", "Fujian"), Map.entry("360000", "Jiangxi"), Map.entry("370000", "Shandong"),
            Map.entry("410000", "Henan"), Map.entry("420000", "Hubei"), Map.entry("430000", "Hunan"),
            Map.entry("440000", "Guangdong"), Map.entry("450000", "Guangxi"), Map.entry("460000", "Hainan"),
            Map.entry("500000", "Chongqing"), Map.entry("510000", "Sichuan"), Map.entry("520000", "Guizhou"),
            Map.entry("530000", "Yunnan"), Map.entry("540000", "Tibet"), Map.entry("610000", "Shaanxi"),
            Map.entry("620000", "Gansu"), Map.entry("630000", "Qinghai"), Map.entry("640000", "Ningxia"),
            Map.entry("650000", "Xinjiang"), Map.entry("710000", "Taiwan"), Map.entry("810000", "Hong Kong"),
            Map.entry("820000", "Macao"));

    public Jurisdiction {
        Objects.requireNonNull(code, "code");
        if (!isValid(code)) {
            throw new IllegalArgumentException("not a jurisdiction: " + code);
        }
    }

    /** True for "national" or a province-level GB/T 2260 code. */
    public static boolean isValid(String code) {
        return code != null && (NATIONAL_CODE.equals(code) || PROVINCES.containsKey(code));
    }

    /** The jurisdiction for a code, or empty if the code names none. */
    public static Optional<Jurisdiction> parse(String code) {
        return isValid(code) ? Optional.of(new Jurisdiction(code)) : Optional.empty();
    }

    public static Jurisdiction of(String code) {
        return new Jurisdiction(code);
    }

    public boolean isNational() {
        return NATIONAL_CODE.equals(code);
    }

    /** National covers every jurisdiction; a province covers only itself. */
    public boolean covers(Jurisdiction other) {
        return isNational() || equals(other);
    }

    /** The level above: national for a province; national has none (it is its own parent). */
    public Jurisdiction parent() {
        return NATIONAL;
    }

    public String displayName() {
        return isNational() ? "National" : PROVINCES.get(code);
    }

    @Override
    public String toString() {
        return code;
    }
}
