package io.voicebot.phone;

import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * What libphonenumber's {@code parse} makes of the commonest entry of a North American list, ten digits with or
 * without "+1", without running its parser (a third of an import's CPU). Only where the parser's steps provably
 * do nothing but split off the country code: the digits are "+1" and ten digits whatever the region, or ten
 * digits in region US or CA (the two +1 regions whose national prefix for parsing is just "1" and whose
 * international prefix is 011), and the first of the ten is 2-9, so neither a national prefix "1", an
 * international prefix "011", the country code 1 nor an Italian leading zero can be read from it. Anything else
 * returns null and goes to the parser. PhoneNumbersTest compares this with the parser.
 */
final class NanpDigits {
    private NanpDigits() {
    }

    /** {@code plain}: the number as {@link PhoneNumbers#plain} left it; {@code region}: upper case. */
    static PhoneNumber parse(String plain, String region) {
        int from;
        if (plain.length() == 12 && plain.charAt(0) == '+' && plain.charAt(1) == '1') {
            from = 2;
        } else if (plain.length() == 10 && ("US".equals(region) || "CA".equals(region))) {
            from = 0;
        } else {
            return null;
        }
        char first = plain.charAt(from);
        if (first < '2' || first > '9') {
            return null;
        }
        long national = 0;
        for (int i = from; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            national = national * 10 + (c - '0');
        }
        return new PhoneNumber().setCountryCode(1).setNationalNumber(national);
    }
}
