package io.voicebot.log;

/** Phone numbers in logs keep only their last 4 digits: "+15551234567" becomes "*******4567". */
public final class PhoneMask {
    private PhoneMask() {}

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
