package io.voicebot.speech.amd;

/**
 * Sound or silence, frame by frame: a frame is sound when it is {@link #MARGIN_DB} above the line's noise floor
 * and above {@link #MIN_DBFS}. The floor is the quietest frame of the last few seconds (minimum statistics), so
 * steady line noise reads as silence while the gaps between words keep the floor down during speech. The floor is
 * capped at {@link #MAX_FLOOR_DBFS}: a greeting that starts with the very first frame, before any quiet frame was
 * heard, must not become the floor itself.
 */
final class SoundGate {
    static final double MIN_DBFS = -45;
    static final double MARGIN_DB = 10;
    static final double MAX_FLOOR_DBFS = -40;
    /** Floor before any frame was heard: a quiet line. */
    private static final double START_FLOOR_DBFS = -70;
    private static final long WINDOW_MS = 3000;

    private final double[] history;
    private int count;
    private int pos;

    SoundGate(long frameMs) {
        history = new double[(int) Math.max(10, WINDOW_MS / Math.max(1, frameMs))];
    }

    /** Classifies one frame by its level and remembers the level for the floor. */
    boolean isSound(double levelDbfs) {
        double floor = Math.min(MAX_FLOOR_DBFS, count == 0 ? START_FLOOR_DBFS : min());
        boolean sound = levelDbfs >= MIN_DBFS && levelDbfs >= floor + MARGIN_DB;
        history[pos] = levelDbfs;
        pos = (pos + 1) % history.length;
        count = Math.min(count + 1, history.length);
        return sound;
    }

    private double min() {
        double m = Double.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            m = Math.min(m, history[i]);
        }
        return m;
    }
}
