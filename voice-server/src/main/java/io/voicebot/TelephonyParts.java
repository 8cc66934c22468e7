package io.voicebot;

import io.voicebot.api.HealthChecks;
import io.voicebot.call.CallService;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.monitoring.ServerMeters;
import io.voicebot.telephony.access.PeerFilter;
import io.voicebot.telephony.agi.AgiRouter;
import io.voicebot.telephony.agi.AgiServer;
import io.voicebot.telephony.ami.AmiClient;
import io.voicebot.telephony.audiosocket.AudioSocketServer;
import io.voicebot.transfer.QueueEventTracker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** The links to Asterisk: the AudioSocket and FastAGI listeners and the AMI client, each its own step. */
final class TelephonyParts {
    private final VoicebotConfig config;
    private final HealthChecks health;
    private AudioSocketServer audioSocket;
    private AgiServer agi;
    private AmiClient ami;

    TelephonyParts(VoicebotConfig config, HealthChecks health) {
        this.config = config;
        this.health = health;
    }

    void startAudioSocket(CallService callService, ExecutorService callExecutor) throws Exception {
        audioSocket = new AudioSocketServer(config.audioSocket(), callService, callExecutor)
                .allowOnly(PeerFilter.fromConfig("AudioSocket", "audiosocket.allow",
                        config.access().audioSocketAllow(), config.ami()))
                .mediaTimeout(config.access().mediaTimeout()).start();
        health.listener("audiosocket", audioSocket::isBound);
    }

    void startAgi(CallService callService, QueueEventTracker transferEvents) throws Exception {
        agi = new AgiServer(config.agi(), transferEvents.register(callService.register(new AgiRouter())))
                .allowOnly(PeerFilter.fromConfig("FastAGI", "agi.allow", config.access().agiAllow(), config.ami()))
                .maxReplyBytes(config.access().agiMaxReplyBytes()).start();
        health.listener("agi", agi::isBound);
    }

    void startAmi(ScheduledExecutorService timer, ServerMeters meters, QueueEventTracker transferEvents) {
        ami = new AmiClient(config.ami(), timer);
        meters.watchAmi(ami);
        transferEvents.listen(ami);
        ami.start();
        health.listener("ami", ami::isConnected, ami::unavailableReason);
    }

    AudioSocketServer audioSocket() {
        return audioSocket;
    }

    AgiServer agi() {
        return agi;
    }

    /** Null until the AMI step has run, and when ami.enabled is false. */
    AmiClient ami() {
        return ami;
    }
}
