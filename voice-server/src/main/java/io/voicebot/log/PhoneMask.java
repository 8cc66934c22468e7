package io.voicebot.log;

/** Phone numbers in logs keep only their last 4 digits: "+15551234567" becomes "*******4567". */
public final class PhoneMask {
    private PhoneMask() {}

    /** Asterisk's channel suffix: "-" and 8 hex digits, and ";1"/";2" on Local channels. */
    private static final java.util.regex.Pattern CHANNEL_SUFFIX =
            java.util.regex.Pattern.compile("-[0-9a-f]{8}(;[12])?$");

    /**
     * A channel name with the dialled number in it masked, the rest kept: "PJSIP/+15557770001-00000001" becomes
     * "PJSIP/********0001-00000001", "Local/15557770002@ctx-0000000a;1" becomes "Local/*******0002@ctx-0000000a;1",
     * "PJSIP/trunk-00000003" stays as it is.
     */
    public static String channel(String name) {
        if (name == null) {
            return null;
        }
        int slash = name.indexOf('/');
        if (slash < 0) {
            return mask(name);
        }
        String rest = name.substring(slash + 1);
        java.util.regex.Matcher m = CHANNEL_SUFFIX.matcher(rest);
        String suffix = m.find() ? rest.substring(m.start()) : "";
        String resource = rest.substring(0, rest.length() - suffix.length());
        int at = resource.indexOf('@');
        String number = at < 0 ? resource : resource.substring(0, at);
        String context = at < 0 ? "" : resource.substring(at);
        boolean digits = number.chars().anyMatch(Character::isDigit);
        return name.substring(0, slash + 1) + (digits ? mask(number) : number) + context + suffix;
    }

    public static String mask(String number) {
        if (number == null || number.isEmpty()) {
            return number;
        }
        int digits = 0;
        for (int i = 0; i < number.length(); i++) {
            if (Character.isDigit(number.charAt(i))) {
                digits++;
            }
        }
        if (digits <= 4) {
            return "*".repeat(number.length());
        }
        StringBuilder sb = new StringBuilder(number.length());
        int seen = 0;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (Character.isDigit(c)) {
                seen++;
                sb.append(seen > digits - 4 ? c : '*');
            } else {
                sb.append(c == '+' ? '*' : c);
            }
        }
        return sb.toString();
    }
}
