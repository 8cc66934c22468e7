package io.voicebot.phone;

import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.voicebot.phone.PhoneNumbers.Invalid;
import io.voicebot.phone.PhoneNumbers.Valid;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhoneNumbersTest {
    final PhoneNumbers us = new PhoneNumbers("US");

    @Test
    void nationalAndInternationalFormsBecomeE164WithRegionAndZones() {
        Valid nyc = new Valid("+12125550100", "US", List.of("America/New_York"));
        assertEquals(nyc, us.parse("(212) 555-0100"));
        assertEquals(nyc, us.parse("212.555.0100"));
        assertEquals(nyc, us.parse("+1 212 555 0100"));
        assertEquals(nyc, us.parse("1-212-555-0100"));
        assertEquals(new Valid("+493012345678", "DE", List.of("Europe/Berlin")), us.parse("030 12345678", "DE"));
        assertEquals(new Valid("+493012345678", "DE", List.of("Europe/Berlin")), us.parse("+49 30 12345678", "GB"));
        assertEquals(new Valid("+441212345678", "GB", List.of("Europe/London")), us.parse("0121 234 5678", "gb"));
    }

    @Test
    void aNumberCanMapToSeveralZonesOrToTheCountrysZones() {
        assertEquals(List.of("America/Adak", "America/Anchorage"),
                ((Valid) us.parse("+1 907 555 0100")).timeZones(), "Alaska spans two zones");
        // A Russian mobile is not tied to a place: all of Russia's zones.
        List<String> ru = ((Valid) us.parse("+7 916 123-45-67")).timeZones();
        assertTrue(ru.size() > 5 && ru.contains("Europe/Moscow") && ru.contains("Asia/Vladivostok"), ru.toString());
        // ...while a Moscow landline is in one.
        assertEquals(List.of("Europe/Moscow"), ((Valid) us.parse("+7 495 123-45-67")).timeZones());
        assertEquals(new Valid("+80012345678", null, List.of()), us.parse("+800 1234 5678"),
                "a number of no country has neither region nor zone");
    }

    @Test
    void invalidNumbersSayWhyWithoutRepeatingTheNumber() {
        assertEquals(new Invalid("is not a valid number for region US"), us.parse("+1 555 010 0003"));
        assertEquals(new Invalid("is too short for region US"), us.parse("212 555 01"));
        assertEquals(new Invalid("is a local number: add the area code"), us.parse("555-0100"));
        assertEquals(new Invalid("is too long"), us.parse("+1 212 555 0100 1234 5678 9012"));
        assertEquals(new Invalid("is not a phone number"), us.parse("call me"));
        assertEquals(new Invalid("is missing"), us.parse("  "));
        assertEquals(new Invalid("is not a phone number"), us.parse("1"));
        assertEquals(new Invalid("is too short for region US"), us.parse("12"));
        assertEquals(new Invalid("has no valid country code (write it as +CC... or choose the list's region; "
                + "region is US)"), us.parse("+999 1234 5678"));
        assertEquals(new Invalid("has an extension, which cannot be dialled"), us.parse("212-555-0100 ext. 12"));
    }

    @Test
    void sameVerdictAsLibphonenumbersOwnChecks() throws Exception {
        // parse() takes a shortcut (one type lookup serves validity and zones); it must agree with the library.
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        PhoneNumberToTimeZonesMapper mapper = PhoneNumberToTimeZonesMapper.getInstance();
        String[] samples = {"+12125550100", "+15550100003", "+19075550100", "+18005551234", "+79161234567",
                "+61412345678", "+4915112345678", "+447911123456", "+390612345678", "+35312345678", "+80012345678",
                "+8613812345678", "+911234567890", "+5511987654321", "+2348012345678", "+33612345678", "+3225123456",
                "+12425550100", "+16135550100", "+819012345678"};
        for (String s : samples) {
            PhoneNumber n = util.parse(s, "US");
            PhoneNumbers.Parsed p = us.parse(s);
            assertEquals(util.isValidNumber(n), p instanceof Valid, s);
            if (p instanceof Valid v) {
                List<String> expected = mapper.getTimeZonesForNumber(n).stream()
                        .filter(z -> !z.equals("Etc/Unknown")).toList();
                assertEquals(expected, v.timeZones(), s);
            }
        }
    }

    @Test
    void separatorsAreDroppedBeforeParsingOnlyWhenNothingElseIsThere() {
        assertEquals("+12125550100", PhoneNumbers.plain(" +1 (212) 555-0100 "));
        assertEquals("03012345678", PhoneNumbers.plain("030/1234\u00A05678"));
        assertEquals("212-555-0100 ext. 12", PhoneNumbers.plain("212-555-0100 ext. 12"));
        assertEquals("1+212", PhoneNumbers.plain("1+212"));
        assertEquals("-", PhoneNumbers.plain("-"));
        assertEquals(us.parse("+44 (0) 121 234 5678"), new PhoneNumbers("US").parse("+441212345678"));
    }

    @Test
    void canonicalKeepsNumbersThatAreNotValidButReadable() {
        assertEquals("+15550100003", us.canonical("(555) 010-0003"), "fictional 555 numbers stay E.164");
        assertEquals("+12125550100", us.canonical("+1 212 555 0100 x7"));
        assertEquals("anonymous", us.canonical("anonymous"));
        assertEquals("+12125550100", us.toE164("212-555-0100"));
        assertEquals("is not a valid number for region US",
                assertThrows(IllegalArgumentException.class, () -> us.toE164("+15550100003")).getMessage());
    }

    @Test
    void regionsAreCheckedUpFront() {
        assertTrue(PhoneNumbers.isRegion("de"));
        assertFalse(PhoneNumbers.isRegion("XX"));
        assertFalse(PhoneNumbers.isRegion(null));
        assertEquals("DE", new PhoneNumbers("de").defaultRegion());
        assertEquals("'XX' is not a region code (ISO 3166 alpha-2, e.g. US, GB, DE)",
                assertThrows(IllegalArgumentException.class, () -> new PhoneNumbers("XX")).getMessage());
    }
}
