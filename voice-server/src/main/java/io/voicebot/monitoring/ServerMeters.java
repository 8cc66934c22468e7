package io.voicebot.monitoring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.voicebot.call.ActiveCalls;
import io.voicebot.call.CallService;
import io.voicebot.campaign.CampaignService;
import io.voicebot.campaign.Dialer;
import io.voicebot.metrics.Metrics;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.store.CampaignStore;
import io.voicebot.telephony.ami.AmiClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleConsumer;
import java.util.function.ToDoubleFunction;

/**
 * Voicebot's own metric families, fed from the listeners and counters the components already have (nothing here
 * runs on a call's path beyond a counter increment). Labels come from fixed sets: outcome, dialog name, gate rule,
 * AMI state, campaign id of a running or paused campaign; never a phone number, call id or token.
 */
public final class ServerMeters {
    private static final Logger log = LoggerFactory.getLogger(ServerMeters.class);
    /** Turn latency, ASR decode and TTS render times: 10 ms to 10 s. */
    static final double[] SPEECH_SECONDS = {0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10};

    private final Metrics metrics;
    private final Metrics.Counter callsEnded;
    private final Metrics.Histogram turnLatency;
    private final Metrics.Histogram asrDecode;
    private final Metrics.Histogram ttsRender;
    private final Metrics.Gauge amiConnected;
    private final Metrics.Counter amiReconnects;
    private final Metrics.Counter attempts;
    private final Metrics.Counter gateBlocks;

    public ServerMeters(Metrics metrics) {
        this.metrics = metrics;
        callsEnded = metrics.counter("voicebot_calls_ended_total", "Calls finished, by outcome and dialog",
                "outcome", "dialog");
        turnLatency = metrics.histogram("voicebot_turn_latency_seconds",
                "From the end of the caller's speech to the first frame of the robot's answer", SPEECH_SECONDS,
                "dialog");
        asrDecode = metrics.histogram("voicebot_asr_decode_seconds",
                "From the end of the audio given to the recognizer to its final result", SPEECH_SECONDS, "engine");
        ttsRender = metrics.histogram("voicebot_tts_render_seconds", "Synthesis time of a prompt not in the cache",
                SPEECH_SECONDS);
        amiConnected = metrics.gauge("voicebot_ami_connected", "1 while the AMI connection is up, else 0");
        amiReconnects = metrics.counter("voicebot_ami_reconnects_total",
                "AMI connections made again after one was lost");
        attempts = metrics.counter("voicebot_dialer_attempts_total", "Campaign attempts settled, by result",
                "result");
        gateBlocks = metrics.counter("voicebot_gate_blocks_total", "Dials the compliance gate refused, by rule",
                "reason");
    }

    /** Calls in progress, and whether the server is draining before shutdown. */
    public void watchActiveCalls(ActiveCalls calls) {
        metrics.gauge("voicebot_calls_active", "Calls in progress", calls::active);
        metrics.gauge("voicebot_draining", "1 while the server refuses new calls before shutdown",
                () -> calls.isDraining() ? 1 : 0);
    }

    /** Calls ended by outcome and dialog, and each turn's latency. */
    public void watchCalls(CallService calls) {
        calls.addListener(e -> {
            try {
                String dialog = e.dialog() == null ? "none" : e.dialog();
                String outcome = e.result() == null || e.result().outcome() == null ? "unknown"
                        : e.result().outcome().scriptName();
                callsEnded.incLabels(outcome, dialog);
                e.latencies().forEach(l -> turnLatency.observe((l.firstFrameNanos() - l.speechEndNanos()) / 1e9,
                        dialog));
            } catch (RuntimeException ex) {
                // the listeners after this one (the dialer's) must still hear of the call
                log.warn("call {} not counted in the metrics: {}", e.id(), ex.toString());
            }
        });
    }

    /** Where the recognizer reports decode times (see speech.asr.TimedRecognizer). */
    public DoubleConsumer asrDecodeSeconds(String engine) {
        return s -> asrDecode.observe(s, engine);
    }

    /** Where the prompt cache reports synthesis times. */
    public DoubleConsumer ttsRenderSeconds() {
        return ttsRender::observe;
    }

    /** Prompt cache requests by how they were served, read from the cache's own counters at each scrape. */
    public void watchPrompts(PromptCache prompts) {
        MeterRegistry r = metrics.registry();
        cacheCounter(r, prompts, "memory_hit", s -> s.memoryHits());
        cacheCounter(r, prompts, "disk_hit", s -> s.diskHits());
        cacheCounter(r, prompts, "miss", s -> s.misses());
        cacheCounter(r, prompts, "joined", s -> s.joined());
    }

    /** Prompts waiting in the synthesizer's low-priority lane (rendered ahead of need; calls go first). */
    public void watchSynthesizer(io.voicebot.speech.tts.MaryTtsSynthesizer synth) {
        io.micrometer.core.instrument.Gauge.builder("voicebot_tts_background_waiting", synth,
                        io.voicebot.speech.tts.MaryTtsSynthesizer::backgroundWaiting)
                .description("Prompts waiting to be rendered ahead of need, at low priority").register(metrics.registry());
    }

    private static void cacheCounter(MeterRegistry r, PromptCache prompts, String result,
                                     ToDoubleFunction<PromptCache.Stats> f) {
        FunctionCounter.builder("voicebot_prompt_cache_requests", prompts, p -> f.applyAsDouble(p.stats()))
                .description("Prompt renders asked of the cache, by how they were served (miss: synthesized)")
                .tags("result", result).register(r);
    }

    /** AMI state and reconnects. */
    public void watchAmi(AmiClient ami) {
        AtomicBoolean wasUp = new AtomicBoolean();
        amiConnected.set(ami.isConnected() ? 1 : 0);
        ami.addConnectionListener((connected, detail) -> {
            amiConnected.set(connected ? 1 : 0);
            if (connected && wasUp.getAndSet(true)) {
                amiReconnects.inc();
            }
        });
    }

    /** Dialer attempts by result and the gate's blocks by rule. */
    public void watchDialer(Dialer dialer) {
        dialer.addSettlementListener((campaign, attempt, outcome, next) ->
                attempts.incLabels(outcome == null ? "unknown" : outcome));
        dialer.onGateVerdict(v -> {
            try {
                if (!v.allowed()) {
                    gateBlocks.incLabels(v.rule());
                }
            } catch (RuntimeException ex) {
                log.warn("gate block not counted in the metrics: {}", ex.toString()); // never fail the claim
            }
        });
    }

    /**
     * Progress of running and paused campaigns (contacts by state, attempts), read from the database at each
     * scrape; a campaign leaves the family once it is no longer running or paused.
     */
    public void watchCampaigns(CampaignStore store, CampaignService campaigns) {
        MultiGauge contacts = MultiGauge.builder("voicebot_campaign_contacts")
                .description("Contacts of each running or paused campaign, by state").register(metrics.registry());
        MultiGauge tries = MultiGauge.builder("voicebot_campaign_attempts")
                .description("Attempts made so far by each running or paused campaign").register(metrics.registry());
        metrics.beforeScrape(() -> {
            List<MultiGauge.Row<?>> c = new ArrayList<>();
            List<MultiGauge.Row<?>> t = new ArrayList<>();
            try {
                List<Long> live = new ArrayList<>(store.idsIn(CampaignStore.State.RUNNING));
                live.addAll(store.idsIn(CampaignStore.State.PAUSED));
                for (long k : live) {
                    campaigns.view(k).ifPresent(v -> {
                        String id = Long.toString(k);
                        v.progress().contacts().forEach((state, n) ->
                                c.add(MultiGauge.Row.of(Tags.of("campaign", id, "state", state), n)));
                        t.add(MultiGauge.Row.of(Tags.of("campaign", id), v.progress().attempts()));
                    });
                }
            } catch (RuntimeException e) {
                log.warn("campaign progress not measured: {}", e.getMessage());
                return; // keep the last values rather than show every campaign gone
            }
            contacts.register(c, true);
            tries.register(t, true);
        });
    }
}
