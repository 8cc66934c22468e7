package io.voicebot.telephony.agi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A "200 result=R [(data)] [endpos=N]" reply as res_agi.c writes it.
 *
 * @param code   the status code (200 for every reply that reaches a caller of {@link AgiCall})
 * @param result the integer after "result="
 * @param data   the text in parentheses, or null when there was none
 * @param endpos the sample offset after "endpos=", or -1 when absent
 */
public record AgiReply(int code, int result, String data, long endpos) {

    private static final Pattern REPLY = Pattern.compile("^(\\d{3}) result=(-?\\d+)(?: (.*?))?$");
    private static final Pattern ENDPOS = Pattern.compile("(?:^| )endpos=(-?\\d+)$");

    public static AgiReply parse(String line) throws AgiProtocolException {
        Matcher m = REPLY.matcher(line);
        if (!m.matches()) {
            throw new AgiProtocolException("unparseable AGI reply: '" + abbreviate(line) + "'");
        }
        int code = Integer.parseInt(m.group(1));
        int result;
        try {
            result = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            throw new AgiProtocolException("result out of range in AGI reply: '" + abbreviate(line) + "'");
        }
        String rest = m.group(3) == null ? "" : m.group(3);
        long endpos = -1;
        Matcher e = ENDPOS.matcher(rest);
        if (e.find()) {
            endpos = Long.parseLong(e.group(1));
            rest = rest.substring(0, e.start());
        }
        String data = null;
        // Values may contain parentheses themselves: the data is everything between the first '(' and the last ')'.
        if (rest.startsWith("(") && rest.endsWith(")")) {
            data = rest.substring(1, rest.length() - 1);
        } else if (!rest.isEmpty()) {
            data = rest;
        }
        return new AgiReply(code, result, data, endpos);
    }

    /** The DTMF digit in result (STREAM FILE, WAIT FOR DIGIT), or 0 when none was pressed. */
    public char digit() {
        return result > 0 && result < 128 ? (char) result : 0;
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
