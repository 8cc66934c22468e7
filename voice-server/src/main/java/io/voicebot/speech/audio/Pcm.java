package io.voicebot.speech.audio;

/**
 * 16-bit signed mono PCM and its sample rate. The array is shared, not copied: whoever receives a Pcm must not
 * modify its samples (prompt audio is cached and handed to many calls).
 */
public record Pcm(short[] samples, int sampleRate) {
    public Pcm {
        if (samples == null) {
            throw new IllegalArgumentException("samples must not be null");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
    }

    public long durationMillis() {
        return samples.length * 1000L / sampleRate;
    }

    /** This audio at {@code rate}; returns itself when the rate already matches. */
    public Pcm resampled(int rate) {
        return rate == sampleRate ? this : new Pcm(Resampler.resample(samples, sampleRate, rate), rate);
    }
}
