package io.voicebot.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Phone numbers as libphonenumber reads them: a raw number plus the region it was written in becomes E.164
 * ("+12125550100"), its region ("US") and its time zones, or a reason in words why it is not a number.
 * Thread-safe.
 */
public final class PhoneNumbers {

    /** What {@link #parse} made of a raw number. */
    public sealed interface Parsed permits Valid, Invalid {}

    /**
     * A valid number. {@code region} is ISO 3166 alpha-2, or null for numbers of no country (+800, +882...);
     * {@code timeZones} are IANA ids, empty when libphonenumber does not know them.
     */
    public record Valid(String e164, String region, List<String> timeZones) implements Parsed {
        public Valid {
            timeZones = List.copyOf(timeZones);
        }
    }

    /** Not a number that can be called; {@code reason} says why, without repeating the number. */
    public record Invalid(String reason) implements Parsed {}

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final PhoneNumberToTimeZonesMapper ZONES = PhoneNumberToTimeZonesMapper.getInstance();
    private static final String UNKNOWN_ZONE = "Etc/Unknown";
    /** libphonenumber's region code for numbers of no country. */
    private static final String NON_GEO = "001";
    private static final Set<String> JAVA_ZONES = ZoneId.getAvailableZoneIds();
    private static final Pattern SEPARATORS = Pattern.compile("[\\s().\\-/]");

    private final String defaultRegion;
    /** Non-geographic numbers (e.g. mobiles in most countries) get their country's zones; one lookup per country. */
    private final Map<Integer, List<String>> countryZones = new ConcurrentHashMap<>();
    private final Map<List<String>, List<String>> zoneLists = new ConcurrentHashMap<>();

    /** {@code defaultRegion}: where numbers without +country code belong; see {@link #isRegion}. */
    public PhoneNumbers(String defaultRegion) {
        this.defaultRegion = checkRegion(defaultRegion);
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    /** True for a region code libphonenumber knows (ISO 3166 alpha-2, either case). */
    public static boolean isRegion(String code) {
        return code != null && UTIL.getSupportedRegions().contains(code.toUpperCase(Locale.ROOT));
    }

    /** The region code in upper case; IllegalArgumentException in words when libphonenumber does not know it. */
    public static String checkRegion(String code) {
        if (!isRegion(code)) {
            throw new IllegalArgumentException("'" + code + "' is not a region code (ISO 3166 alpha-2, e.g. US, GB, "
                    + "DE)");
        }
        return code.toUpperCase(Locale.ROOT);
    }

    /** {@link #parse(String, String)} with the default region. */
    public Parsed parse(String raw) {
        return parse(raw, defaultRegion);
    }

    /** Reads {@code raw} as written in {@code region} (used when it has no +country code; null: the default). */
    public Parsed parse(String raw, String region) {
        if (raw == null || raw.isBlank()) {
            return new Invalid("is missing");
        }
        String in = region == null ? defaultRegion : region.toUpperCase(Locale.ROOT);
        String plain = plain(raw);
        PhoneNumber n = NanpDigits.parse(plain, in);
        if (n == null) {
            try {
                n = UTIL.parse(plain, in);
            } catch (NumberParseException e) {
                return new Invalid(parseProblem(e.getErrorType(), in));
            }
        }
        if (n.hasExtension()) {
            return new Invalid("has an extension, which cannot be dialled");
        }
        // getNumberType finds the region and matches the type patterns; a known type is what isValidNumber checks.
        PhoneNumberType type = UTIL.getNumberType(n);
        if (type == PhoneNumberType.UNKNOWN) {
            return new Invalid(invalidReason(n));
        }
        String numberRegion = regionOf(n);
        if (numberRegion == null) {
            return new Invalid(invalidReason(n));
        }
        return new Valid(UTIL.format(n, PhoneNumberFormat.E164), NON_GEO.equals(numberRegion) ? null : numberRegion,
                zones(n, type));
    }

    /**
     * "(212) 555-0100" as "2125550100" when the text is only digits, separators and a leading +: what
     * libphonenumber would read from it anyway, but its parser is a fifth faster on the bare digits. Anything
     * else (letters, an extension, a second +) is left for the parser to judge.
     */
    static String plain(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            } else if (c == '+' && sb.length() == 0) {
                sb.append(c);
            } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '/' && c != '\u00A0') {
                return raw;
            }
        }
        return sb.length() == 0 ? raw : sb.toString();
    }

    /** E.164 of a valid number in the default region; IllegalArgumentException with the reason otherwise. */
    public String toE164(String raw) {
        Parsed p = parse(raw);
        if (p instanceof Valid v) {
            return v.e164();
        }
        throw new IllegalArgumentException(((Invalid) p).reason());
    }

    /**
     * The form a number is stored and looked up in when it must not be refused (a caller asking not to be called
     * again): E.164 when libphonenumber can read it at all, valid or not; otherwise the text without separators.
     */
    public String canonical(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            PhoneNumber n = UTIL.parse(raw, defaultRegion);
            n.clearExtension();
            return UTIL.format(n, PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return SEPARATORS.matcher(raw.strip()).replaceAll("");
        }
    }

    /**
     * getRegionCodeForNumber, which answers a country code of one region (most of them) with that region without
     * looking at the number; only shared codes (+1, +7, +44...) need the search among their regions.
     */
    private static String regionOf(PhoneNumber n) {
        List<String> regions = UTIL.getRegionCodesForCountryCode(n.getCountryCode());
        return regions.size() == 1 ? regions.get(0) : UTIL.getRegionCodeForNumber(n);
    }

    private List<String> zones(PhoneNumber n, PhoneNumberType type) {
        if (!UTIL.isNumberGeographical(type, n.getCountryCode())) {
            // The mapper answers a non-geographic number with its country's zones: cache them per country code.
            return countryZones.computeIfAbsent(n.getCountryCode(), cc -> known(ZONES.getTimeZonesForNumber(n)));
        }
        // A few hundred distinct answers for millions of numbers: keep one immutable copy of each.
        return zoneLists.computeIfAbsent(ZONES.getTimeZonesForGeographicalNumber(n), PhoneNumbers::known);
    }

    /** Without the mapper's "Etc/Unknown" and any id this JVM's zone database lacks (the dialer must load them). */
    private static List<String> known(List<String> zones) {
        List<String> out = new ArrayList<>(zones.size());
        for (String z : zones) {
            if (!UNKNOWN_ZONE.equals(z) && JAVA_ZONES.contains(z)) {
                out.add(z);
            }
        }
        return List.copyOf(out);
    }

    private static String parseProblem(NumberParseException.ErrorType type, String region) {
        return switch (type) {
            case INVALID_COUNTRY_CODE -> "has no valid country code (write it as +CC... or choose the list's region;"
                    + " region is " + region + ")";
            case NOT_A_NUMBER -> "is not a phone number";
            case TOO_SHORT_AFTER_IDD -> "is too short after the international prefix";
            case TOO_SHORT_NSN -> "is too short";
            case TOO_LONG -> "is too long";
        };
    }

    private static String invalidReason(PhoneNumber n) {
        String region = UTIL.getRegionCodeForCountryCode(n.getCountryCode());
        String where = NON_GEO.equals(region) ? "country code +" + n.getCountryCode() : "region " + region;
        return switch (UTIL.isPossibleNumberWithReason(n)) {
            case TOO_SHORT -> "is too short for " + where;
            case TOO_LONG -> "is too long for " + where;
            case INVALID_LENGTH -> "has the wrong number of digits for " + where;
            case IS_POSSIBLE_LOCAL_ONLY -> "is a local number: add the area code";
            case INVALID_COUNTRY_CODE -> "has an unknown country code +" + n.getCountryCode();
            case IS_POSSIBLE -> "is not a valid number for " + where;
        };
    }
}
