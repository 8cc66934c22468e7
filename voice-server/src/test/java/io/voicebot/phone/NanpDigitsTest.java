package io.voicebot.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.voicebot.phone.PhoneNumbers.Invalid;
import io.voicebot.phone.PhoneNumbers.Valid;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The import's shortcuts give exactly what plain libphonenumber gives, on many numbers of many countries. */
class NanpDigitsTest {
    static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    static final PhoneNumberToTimeZonesMapper ZONES = PhoneNumberToTimeZonesMapper.getInstance();
    static final Set<String> JAVA_ZONES = ZoneId.getAvailableZoneIds();
    /** All +1 regions, some with their own national-prefix rules, and regions of other codes. */
    static final String[] REGIONS = {"US", "CA", "AG", "BB", "BS", "DM", "DO", "JM", "PR", "SX", "GU", "VI", "GB", "DE",
        "FR", "IT", "RU", "KZ", "AU", "IN", "BR", "MX", "JP", "CN", "NG", "ZA", "AR", "AT", "CH", "NL"};

    @Test
    void tenDigitsAreReadAsTheParserReadsThem() throws Exception {
        assertEquals(new PhoneNumber().setCountryCode(1).setNationalNumber(2125550100L),
                NanpDigits.parse("+12125550100", "DE"));
        assertEquals(new PhoneNumber().setCountryCode(1).setNationalNumber(4165550100L),
                NanpDigits.parse("4165550100", "CA"));
        assertNull(NanpDigits.parse("2125550100", "AG"), "AG reads some numbers with its own prefix rule");
        assertNull(NanpDigits.parse("1125550100", "US"), "a leading 1 is the national prefix");
        assertNull(NanpDigits.parse("0115550100", "US"), "011 is the international prefix");
        assertNull(NanpDigits.parse("+11125550100", "US"));
        assertNull(NanpDigits.parse("21255501000", "US"));
        Random random = new Random(8);
        int fast = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder digits = new StringBuilder();
            int length = 9 + random.nextInt(3);
            for (int d = 0; d < length; d++) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            String region = REGIONS[random.nextInt(REGIONS.length)];
            String plain = (random.nextBoolean() ? "+1" : "") + digits;
            PhoneNumber quick = NanpDigits.parse(plain, region);
            if (quick != null) {
                fast++;
                assertEquals(UTIL.parse(plain, region), quick, plain + " in " + region);
            }
        }
        assertTrue(fast > 2_500, "the shortcut was taken " + fast + " times");
    }

    @Test
    void parseAgreesWithPlainLibphonenumber() {
        List<String[]> cases = new ArrayList<>();
        // Every region's example numbers of every type, written nationally and internationally.
        for (String region : UTIL.getSupportedRegions()) {
            for (PhoneNumberType type : PhoneNumberType.values()) {
                PhoneNumber example = UTIL.getExampleNumberForType(region, type);
                if (example != null) {
                    cases.add(new String[] {UTIL.format(example, PhoneNumberFormat.NATIONAL), region});
                    cases.add(new String[] {UTIL.format(example, PhoneNumberFormat.INTERNATIONAL), "US"});
                    cases.add(new String[] {UTIL.format(example, PhoneNumberFormat.E164), region});
                }
            }
        }
        // Random digits: valid and invalid numbers of +1 and other codes, with and without a country code.
        Random random = new Random(8);
        int[] codes = {1, 1, 1, 7, 44, 49, 33, 39, 61, 91, 55, 52, 81, 86, 234, 27, 54, 43, 41, 31, 800, 882};
        for (int i = 0; i < 15_000; i++) {
            StringBuilder digits = new StringBuilder();
            int length = 6 + random.nextInt(7);
            for (int d = 0; d < length; d++) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            String region = REGIONS[random.nextInt(REGIONS.length)];
            String raw = switch (random.nextInt(3)) {
                case 0 -> "+" + codes[random.nextInt(codes.length)] + " " + digits;
                case 1 -> digits.toString();
                default -> "(" + digits.substring(0, 3) + ") " + digits.substring(3);
            };
            cases.add(new String[] {raw, region});
        }
        int valid = 0;
        for (String[] c : cases) {
            PhoneNumbers phones = new PhoneNumbers(c[1]);
            PhoneNumbers.Parsed got = phones.parse(c[0]);
            Valid expected = reference(c[0], c[1]);
            if (expected == null) {
                assertTrue(got instanceof Invalid, c[0] + " in " + c[1] + ": " + got);
            } else {
                valid++;
                assertEquals(expected, got, c[0] + " in " + c[1]);
            }
        }
        assertTrue(valid > 1_500, valid + " valid numbers compared");
    }

    /** What libphonenumber's public calls say, without any shortcut; null when not a valid number. */
    private static Valid reference(String raw, String region) {
        PhoneNumber n;
        try {
            n = UTIL.parse(raw, region);
        } catch (NumberParseException e) {
            return null;
        }
        if (n.hasExtension() || !UTIL.isValidNumber(n)) {
            return null;
        }
        String numberRegion = UTIL.getRegionCodeForNumber(n);
        List<String> zones = ZONES.getTimeZonesForNumber(n).stream()
                .filter(z -> !z.equals("Etc/Unknown") && JAVA_ZONES.contains(z)).toList();
        assertNotNull(numberRegion, raw);
        return new Valid(UTIL.format(n, PhoneNumberFormat.E164), numberRegion.equals("001") ? null : numberRegion,
                zones);
    }
}
