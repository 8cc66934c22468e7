package io.voicebot.campaign.lists;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PhoneLinesTest {
    @Test
    void remembersTheFirstLineOfEachNumberThroughGrowth() {
        PhoneLines lines = new PhoneLines();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            assertEquals(PhoneLines.ABSENT, lines.putIfAbsent("+1212" + (1_000_000 + i), i + 2));
        }
        assertEquals(n, lines.size());
        for (int i = 0; i < n; i += 997) {
            assertEquals(i + 2, lines.putIfAbsent("+1212" + (1_000_000 + i), 999_999), "number " + i);
        }
        assertEquals(PhoneLines.ABSENT, lines.putIfAbsent("+800123456789012", 7), "15 digits fit");
        assertEquals(7, lines.putIfAbsent("+800123456789012", 8));
        assertEquals(n + 1, lines.size());
    }
}
