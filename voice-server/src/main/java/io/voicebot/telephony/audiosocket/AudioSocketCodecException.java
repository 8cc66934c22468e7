package io.voicebot.telephony.audiosocket;

import io.netty.handler.codec.DecoderException;

/** A malformed AudioSocket stream; ends that session only. The message names the kind, length and offset. */
public final class AudioSocketCodecException extends DecoderException {
    public AudioSocketCodecException(String message) {
        super(message);
    }
}
