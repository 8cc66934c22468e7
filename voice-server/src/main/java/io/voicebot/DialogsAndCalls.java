package io.voicebot;

import io.voicebot.call.ActiveCalls;
import io.voicebot.call.CallContext;
import io.voicebot.call.CallService;
import io.voicebot.call.DialogCatalog;
import io.voicebot.call.Webhooks;
import io.voicebot.config.ConfigException;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogException;
import io.voicebot.dialog.DialogLoader;
import io.voicebot.dialog.Knowledge;
import io.voicebot.dialog.KnowledgeLoader;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.monitoring.ServerMeters;
import io.voicebot.net.WebhookTargets;
import io.voicebot.recording.RecordingWriter;
import io.voicebot.speech.amd.AmdSettings;
import io.voicebot.speech.asr.TurnOptions;
import io.voicebot.store.AttemptStore;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.Database;
import io.voicebot.store.DialogStore;
import io.voicebot.store.FollowupStore;
import io.voicebot.store.ListStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The dialogs (files, then the dialogs table over them), the stores they and calls use, and the call service. */
final class DialogsAndCalls {
    private static final Logger log = LoggerFactory.getLogger(VoicebotServer.class); // its name before the split

    final DialogLoader loader;
    final DialogStore dialogStore;
    final ListStore listStore;
    final CampaignStore campaignStore;
    final AttemptStore attemptStore;
    final DialogCatalog dialogs;
    final FollowupStore followups;
    final CallService callService;

    DialogsAndCalls(VoicebotConfig config, Clock clock, Database database, CoreParts core, SpeechParts speech,
            ServerExecutors executors, ActiveCalls calls, RecordingWriter recordingWriter, ServerMeters meters)
            throws Exception {
        GrammarLibrary grammars = GrammarLibrary.load(config.dialogs().grammarsDir());
        Knowledge knowledge = KnowledgeLoader.load(config.dialogs().knowledgeFile());
        loader = new DialogLoader(grammars, knowledge);
        Map<String, Dialog> loaded = new TreeMap<>(loader.loadDir(config.dialogs().dialogsDir()));
        dialogStore = new DialogStore(database, clock);
        listStore = new ListStore(database, clock);
        campaignStore = new CampaignStore(database, clock);
        attemptStore = new AttemptStore(database, clock);
        loaded.putAll(storedDialogs());
        dialogs = new DialogCatalog(loaded);
        followups = new FollowupStore(database, clock);
        CallContext ctx = new CallContext(speech.recognizer(), speech.prompts(), core.callStore, followups,
                core.callDnc, core.phones,
                new Webhooks(executors.calls, Duration.ofSeconds(5), webhookTargets(config)),
                TurnOptions.from(config.speech()), clock,
                ZoneId.systemDefault(), executors.calls, executors.timer, config.transfer().defaultQueue(),
                Duration.ofSeconds(30), AmdSettings.from(config.amd()), config.tts().latePrompt());
        if (!config.tts().latePrompt().isZero()) {
            speech.prompts().prerender(List.of(io.voicebot.call.LatePrompt.TEXT)); // ready for the first late turn
        }
        String host = config.audioSocket().bind().equals("0.0.0.0") ? "127.0.0.1" : config.audioSocket().bind();
        callService = new CallService(ctx, dialogs, attemptStore, calls, host + ":" + config.audioSocket().port(),
                Duration.ofHours(2), recordingWriter);
        meters.watchCalls(callService);
        log.info("dialogs loaded: {}", new TreeSet<>(loaded.keySet()));
        speech.prepare(loaded.values(), executors.speechPrepare);
        speech.readyAfterQueued(executors.speechPrepare, core.health);
    }

    /**
     * Dialogs uploaded earlier (the dialogs table); they override the file of the same name. One that no longer
     * compiles (e.g. a grammar changed since) is logged with its problems and skipped: the others still start.
     */
    private Map<String, Dialog> storedDialogs() {
        Map<String, Dialog> out = new TreeMap<>();
        for (DialogStore.StoredDialog s : dialogStore.dialogs()) {
            String source = "dialogs table: " + s.name() + " v" + s.version();
            try {
                Dialog d = loader.parse(source, s.body());
                if (!d.name().equals(s.name())) {
                    log.warn("stored dialog {} skipped: its script is named '{}'", s.name(), d.name());
                    continue;
                }
                out.put(d.name(), d);
            } catch (DialogException e) {
                log.warn("stored dialog {} v{} skipped; it no longer compiles:\n  {}", s.name(), s.version(),
                        String.join("\n  ", e.problems()));
            }
        }
        return out;
    }

    /** webhook.allow; a bad entry fails start-up naming the key. */
    static WebhookTargets webhookTargets(VoicebotConfig config) {
        try {
            return WebhookTargets.parse(config.access().webhookAllow());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid webhook.allow: " + e.getMessage());
        }
    }
}
