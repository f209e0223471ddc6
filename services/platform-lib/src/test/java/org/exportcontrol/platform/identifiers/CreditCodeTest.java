package org.exportcontrol.platform.identifiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CreditCodeTest {

    @Test
    void publishedCodesOfRealEnterprisesVerify() {
        assertNull(CreditCode.problem("914403001922038216"));
        assertNull(CreditCode.problem("91330100716105852F"));
    }

    @Test
    void theDemoEnterprisesVerify() {
        assertTrue(CreditCode.isValid("91360700MA0DEM013P"));
        assertTrue(CreditCode.isValid("91430100MA0DEM021X"));
        assertEquals("360700", CreditCode.divisionCode("91360700MA0DEM013P"));
    }

    @Test
    void aWrongCheckCharacterIsFound() {
        assertEquals("check character is wrong (the code is mistyped)", CreditCode.problem("91360700MA0DEM013Q"));
        assertFalse(CreditCode.isValid("914403001922038217"));
    }

    @Test
    void wrongLengthAndLettersOutsideTheAlphabetAreFound() {
        assertFalse(CreditCode.isValid("9136070"));
        assertFalse(CreditCode.isValid(null));
        assertTrue(CreditCode.problem("91360700MA0DEMO13P").contains("not in the code's alphabet"));
    }
}
