package io.voicebot.campaign.lists;

/**
 * The first line of each number seen in a file, for "duplicate of line N" without a map of objects: E.164
 * digits (at most 15, so a long) to an int line, open addressing at most half full: 12 bytes a slot, 25 MB for a
 * million numbers.
 */
final class PhoneLines {
    static final int ABSENT = -1;
    private long[] keys;     // 0 = empty slot; no E.164 number is 0
    private int[] lines;
    private int size;
    private int shift;

    PhoneLines() {
        resize(1 << 12);
    }

    /** Remembers {@code line} for {@code e164} ("+12125550100") unless seen; returns the earlier line or ABSENT. */
    int putIfAbsent(String e164, int line) {
        long key = Long.parseLong(e164, 1, e164.length(), 10);
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return lines[i];
            }
            if (keys[i] == 0) {
                keys[i] = key;
                lines[i] = line;
                if (++size * 2 > keys.length) {
                    resize(keys.length * 2);
                }
                return ABSENT;
            }
        }
    }

    int size() {
        return size;
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        int[] oldLines = lines;
        keys = new long[capacity];
        lines = new int[capacity];
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        if (oldKeys == null) {
            return;
        }
        int mask = capacity - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = slot(oldKeys[j]);
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                lines[i] = oldLines[j];
            }
        }
    }
}
