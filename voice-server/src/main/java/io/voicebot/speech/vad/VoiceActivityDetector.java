package io.voicebot.speech.vad;

/**
 * Energy-based voice activity detector for 10–30 ms frames of 16-bit audio, with a noise floor that follows the
 * line: the floor is the minimum frame energy over the last few seconds (minimum statistics), so steady noise
 * becomes "silence" within that window while the short dips between words keep it low during speech.
 * <p>
 * Speech starts when {@link #ONSET_FRAMES} frames in a row are {@link #ONSET_DB} above the floor (and above an
 * absolute minimum level); the reported start is the first of them. Speech ends when the level has stayed below
 * {@link #HOLD_DB} above the floor for the trailing-silence time; the reported end is the end of the last loud frame.
 * <p>
 * Minimum statistics alone takes the whole window to notice noise that starts with the speech or right after it
 * (the hiss of a TTS vocoder, a phone line's faint noise at -44..-56 dBFS): until then that noise is "speech" and the
 * end of the turn waits for it. So a second, line floor is raised as soon as the level has been steady (within
 * {@link #STEADY_SPREAD_DB}) for {@link #STEADY_MS} well below ({@link #NOISE_BELOW_SPEECH_DB}) the loudest speech
 * of the utterance: speech is never that steady, noise is. The end of speech is then the end of the last frame that
 * is loud against the raised floor, so the trailing silence counts from where the words ended, not from where the
 * noise was recognised. Onsets (and so barge-in) keep the same two-frame test.
 * Times are milliseconds of audio since the detector was created: callers feed every frame, so this is call time.
 * Not thread-safe: one detector per call, fed from one thread at a time.
 */
public final class VoiceActivityDetector {
    /** What one frame changed. */
    public enum Event {
        NONE, SPEECH_START, SPEECH_END,
        /** The speech that started at the last {@link #SPEECH_START} is steady line noise, not speech: forget it. */
        NOT_SPEECH
    }

    static final double ONSET_DB = 10;
    static final double HOLD_DB = 6;
    static final int ONSET_FRAMES = 2;
    /** Below this level (dBFS) nothing is speech, however quiet the line. */
    static final double MIN_SPEECH_DBFS = -50;
    private static final double FLOOR_WINDOW_MS = 3000;
    private static final int MIN_HISTORY_FRAMES = 5;
    /** How long a level must stay steady to be taken for line noise. */
    static final int STEADY_MS = 160;
    /** Largest spread (max - min frame level) of a steady stretch. */
    static final double STEADY_SPREAD_DB = 6;
    /** A steady stretch during speech is noise only this far below the loudest frame of the utterance. */
    static final double NOISE_BELOW_SPEECH_DB = 15;
    /** How fast the line floor falls when the noise stops (per frame), so a quieter line is trusted again soon. */
    private static final double LINE_FLOOR_FALL_DB = 1;
    /** An onset is confirmed as speech, or taken back as line noise, when it has lasted this long. */
    public static final int CONFIRM_MS = 120;
    /** An onset that stays this steady (max - min frame level) until confirmed is line noise... */
    static final double NOISE_ONSET_SPREAD_DB = 4;
    /** ...when it is this quiet (line noise is -44..-56 dBFS; a steady loud sound, a held vowel or music, stays). */
    static final double NOISE_ONSET_MAX_DBFS = -40;

    private final int sampleRate;
    private long trailingSilenceMs;
    private final double[] history;
    private int historyCount;
    private int historyPos;

    private long nowMs;
    private double nowMsFraction;
    private boolean speaking;
    private int loudRun;
    private long loudRunStartMs;
    private long speechStartMs = -1;
    private long lastLoudEndMs;
    private double lastLevel = -120;
    /** Levels and end times of the last frames (a ring), to find where steady noise began. */
    private final double[] recentLevel;
    private final long[] recentEndMs;
    private int recentCount;
    private int recentPos;
    private final int steadyFrames;
    private final int confirmFrames;
    /** Frames since the onset while it is not yet confirmed; -1 once confirmed (or when not speaking). */
    private int unconfirmedFrames = -1;
    /** Floor raised by steady noise; -120 while the line shows none. */
    private double lineFloor = -120;
    private double speechPeak = -120;

    public VoiceActivityDetector(int sampleRate, long trailingSilenceMs, int frameMs) {
        if (sampleRate <= 0 || trailingSilenceMs <= 0 || frameMs <= 0) {
            throw new IllegalArgumentException("sampleRate, trailingSilenceMs and frameMs must be positive");
        }
        this.sampleRate = sampleRate;
        this.trailingSilenceMs = trailingSilenceMs;
        this.history = new double[(int) Math.max(10, FLOOR_WINDOW_MS / frameMs)];
        this.steadyFrames = Math.max(3, STEADY_MS / frameMs);
        this.confirmFrames = Math.max(3, CONFIRM_MS / frameMs);
        this.recentLevel = new double[Math.max(steadyFrames, (int) (trailingSilenceMs / frameMs) + steadyFrames)];
        this.recentEndMs = new long[recentLevel.length];
    }

    /** Processes one frame and says whether speech started or ended at it. */
    public Event process(short[] pcm, int off, int len) {
        double level = levelDbfs(pcm, off, len);
        lastLevel = level;
        long frameStart = nowMs;
        advance(len);
        recent(level, nowMs);
        lineFloor = Math.max(Math.min(lineFloor, level), lineFloor - LINE_FLOOR_FALL_DB);
        double floor = Math.max(floor(level), lineFloor);
        Event event = Event.NONE;
        if (!speaking) {
            if (level >= MIN_SPEECH_DBFS && level >= floor + ONSET_DB) {
                if (loudRun++ == 0) {
                    loudRunStartMs = frameStart;
                }
                if (loudRun >= ONSET_FRAMES) {
                    speaking = true;
                    speechPeak = level;
                    speechStartMs = loudRunStartMs;
                    lastLoudEndMs = nowMs;
                    unconfirmedFrames = loudRun;
                    event = Event.SPEECH_START;
                }
            } else {
                loudRun = 0;
            }
        } else if (unconfirmedFrames >= 0 && ++unconfirmedFrames >= confirmFrames && steadyOnset()) {
            // Noise that began after a quiet stretch (the rest of a noise tail after a turn that ended early, the
            // line getting noisier) passed the onset test against the quiet before it; speech is never that steady.
            speaking = false;
            loudRun = 0;
            unconfirmedFrames = -1;
            event = Event.NOT_SPEECH;
        } else {
            if (unconfirmedFrames >= confirmFrames) {
                unconfirmedFrames = -1;
            }
            speechPeak = Math.max(speechPeak, level);
            if (steadyNoise()) {
                floor = Math.max(floor, lineFloor);
            }
            if (level >= MIN_SPEECH_DBFS - HOLD_DB && level >= floor + HOLD_DB) {
                lastLoudEndMs = nowMs;
            } else if (nowMs - lastLoudEndMs >= trailingSilenceMs) {
                speaking = false;
                loudRun = 0;
                event = Event.SPEECH_END;
            }
        }
        remember(level);
        return event;
    }

    /**
     * Whether the frames since the onset are quiet and steady (line noise); if so, raises the line floor to them so
     * that the same noise is no new onset.
     */
    private boolean steadyOnset() {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 1; i <= Math.min(unconfirmedFrames, recentCount); i++) {
            double l = recentLevel[(recentPos - i + recentLevel.length) % recentLevel.length];
            min = Math.min(min, l);
            max = Math.max(max, l);
        }
        if (max - min > NOISE_ONSET_SPREAD_DB || max > NOISE_ONSET_MAX_DBFS) {
            return false;
        }
        lineFloor = Math.max(lineFloor, max);
        return true;
    }

    /**
     * Whether the last {@link #STEADY_MS} are steady noise well below this utterance's speech; if so, raises the line
     * floor to that noise and moves the end of speech back to the last frame that is loud against it.
     */
    private boolean steadyNoise() {
        if (recentCount < steadyFrames) {
            return false;
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 1; i <= steadyFrames; i++) {
            double l = recentLevel[(recentPos - i + recentLevel.length) % recentLevel.length];
            min = Math.min(min, l);
            max = Math.max(max, l);
        }
        if (max - min > STEADY_SPREAD_DB || max > speechPeak - NOISE_BELOW_SPEECH_DB) {
            return false;
        }
        lineFloor = Math.max(lineFloor, max);
        for (int i = 1; i <= recentCount; i++) {
            int k = (recentPos - i + recentLevel.length) % recentLevel.length;
            if (recentEndMs[k] <= speechStartMs) {
                lastLoudEndMs = Math.min(lastLoudEndMs, speechStartMs);
                break;
            }
            if (recentLevel[k] >= lineFloor + HOLD_DB) {
                lastLoudEndMs = Math.min(lastLoudEndMs, recentEndMs[k]);
                break;
            }
        }
        return true;
    }

    private void recent(double level, long endMs) {
        recentLevel[recentPos] = level;
        recentEndMs[recentPos] = endMs;
        recentPos = (recentPos + 1) % recentLevel.length;
        recentCount = Math.min(recentCount + 1, recentLevel.length);
    }

    private void advance(int samples) {
        double ms = samples * 1000.0 / sampleRate + nowMsFraction;
        long whole = (long) ms;
        nowMs += whole;
        nowMsFraction = ms - whole;
    }

    /** Minimum over the window, not counting this frame (so a first loud frame is compared with the quiet before). */
    private double floor(double level) {
        if (historyCount < MIN_HISTORY_FRAMES) {
            // Nothing known about the line yet: take what we hear as its noise (calls start with silence).
            return historyCount == 0 ? level : Math.max(level, minHistory());
        }
        return minHistory();
    }

    private double minHistory() {
        double min = Double.MAX_VALUE;
        for (int i = 0; i < historyCount; i++) {
            min = Math.min(min, history[i]);
        }
        return min;
    }

    private void remember(double level) {
        history[historyPos] = level;
        historyPos = (historyPos + 1) % history.length;
        historyCount = Math.min(historyCount + 1, history.length);
    }

    /** RMS level in dB relative to full scale; digital silence is -120. */
    public static double levelDbfs(short[] pcm, int off, int len) {
        if (len <= 0) {
            return -120;
        }
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        double rms = Math.sqrt(sum / len) / 32768.0;
        return rms <= 1e-6 ? -120 : Math.max(-120, 20 * Math.log10(rms));
    }

    /** Changes the trailing silence that ends speech (per dialog turn); applies from the next frame. */
    public void setTrailingSilenceMs(long ms) {
        if (ms <= 0) {
            throw new IllegalArgumentException("trailing silence must be positive");
        }
        trailingSilenceMs = ms;
    }

    public boolean isSpeaking() {
        return speaking;
    }

    /** Audio time after the last processed frame. */
    public long nowMs() {
        return nowMs;
    }

    /** Start of the current (or last) speech, or -1 before any. */
    public long speechStartMs() {
        return speechStartMs;
    }

    /** End of the last loud frame of the current (or last) speech. */
    public long speechEndMs() {
        return lastLoudEndMs;
    }

    /** Ends speech in progress now (the turn ended early): the next loud frames are a new onset. */
    public void endSpeechNow() {
        speaking = false;
        loudRun = 0;
        unconfirmedFrames = -1;
    }

    /** During speech: how long the line has been quiet since the last loud frame (0 while loud or not speaking). */
    public long quietMs() {
        return speaking ? nowMs - lastLoudEndMs : 0;
    }

    public double lastLevelDbfs() {
        return lastLevel;
    }
}
