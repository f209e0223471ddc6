package org.exportcontrol.platform.identifiers;

/**
 * The 18-character unified social credit code of GB 32100-2015 that identifies every enterprise.
 * The last character is a check character: mod 31 over a 31-character alphabet (no I, O, Z, S, V).
 */
public final class CreditCode {

    private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private CreditCode() {
    }

    /** Why a code is not valid, or null if it is. */
    public static String problem(String code) {
        if (code == null || code.length() != 18) {
            return "must be 18 characters (unified social credit code, GB 32100-2015)";
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int value = ALPHABET.indexOf(code.charAt(i));
            if (value < 0) {
                return "character " + (i + 1) + " ('" + code.charAt(i) + "') is not in the code's alphabet";
            }
            sum += value * WEIGHTS[i];
        }
        char expected = ALPHABET.charAt((31 - sum % 31) % 31);
        if (code.charAt(17) != expected) {
            return "check character is wrong (the code is mistyped)";
        }
        return null;
    }

    public static boolean isValid(String code) {
        return problem(code) == null;
    }

    /** The six-digit administrative division code inside the credit code (characters 3-8). */
    public static String divisionCode(String code) {
        return code.substring(2, 8);
    }
}
