package org.exportcontrol.licensing.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NameMatcherTest {

    @Test
    void legalFormsCaseAndPunctuationDoNotMatter() {
        assertEquals("oman trading transit", NameMatcher.normalise("OMAN TRANSIT TRADING CO., LTD."));
        assertEquals(1.0, NameMatcher.score("Oman Transit Trading LLC", "oman transit trading co ltd"));
    }

    @Test
    void wordOrderAndSmallSpellingDifferencesScoreHigh() {
        assertTrue(NameMatcher.score("Trading Oman Transit", "Oman Transit Trading LLC") == 1.0);
        assertTrue(NameMatcher.score("Nordic Magnet Trading GmbH", "Nordic Magnets Trading") >= 0.85);
    }

    @Test
    void differentNamesScoreLow() {
        assertTrue(NameMatcher.score("Rheinland Motorenwerke AG", "Oman Transit Trading LLC") < 0.4);
        assertEquals(0.0, NameMatcher.score("", "Oman Transit Trading"));
    }
}
