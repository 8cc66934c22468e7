package io.voicebot.campaign.lists;

/**
 * What an import did. {@code rows} (data rows, blank ones not counted) = {@code imported} + {@code rejected};
 * {@code duplicates} and {@code doNotCall} are the rejected rows whose number came earlier in the file (or was on
 * the list) or is on the do-not-call list. Each rejection is stored with the list (ListStore.rejections).
 */
public record ImportReport(long listId, String name, String charset, char delimiter, long rows, long imported,
                           long rejected, long duplicates, long doNotCall) {

    /** The delimiter in words: comma, semicolon or tab. */
    public String delimiterName() {
        return switch (delimiter) {
            case ';' -> "semicolon";
            case '\t' -> "tab";
            default -> "comma";
        };
    }
}
