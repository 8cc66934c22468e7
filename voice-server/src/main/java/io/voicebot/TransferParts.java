package io.voicebot;

import io.voicebot.api.AgentRoutes;
import io.voicebot.api.HttpApi;
import io.voicebot.call.CallService;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.store.CallStore;
import io.voicebot.store.TransferStore;
import io.voicebot.tasks.TaskService;
import io.voicebot.telephony.ami.AmiClient;
import io.voicebot.transfer.AgentFeed;
import io.voicebot.transfer.QueueEventTracker;
import io.voicebot.transfer.TransferDesk;
import io.voicebot.transfer.WhisperFiles;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Warm transfers: queue check, whisper, screen-pop, callbacks (docs/transfer.md). */
final class TransferParts {
    final TransferDesk desk;
    /** Follows the AMI queue events and AGI hand-overs of transfers in progress. */
    final QueueEventTracker events;

    TransferParts(VoicebotConfig.Transfer tc, TransferStore transferStore, Supplier<AmiClient> ami,
            PromptCache prompts, TaskService tasks, Clock clock, CallService callService, CallStore callStore,
            HttpApi http) {
        // JDBC after AMI queue events: one thread, bounded, apart from the calls' executor
        ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), ServerExecutors.named("voicebot-transfer-events"));
        AgentFeed feed = new AgentFeed(tc.streamClients());
        desk = new TransferDesk(transferStore, ami, new WhisperFiles(tc.whisperDir(), prompts::render), feed, tasks,
                new TransferDesk.Settings(tc.maxWait(), tc.checkTimeout(), tc.priority(), tc.callbackDelay(),
                        tc.whisperWait()), clock, worker);
        events = new QueueEventTracker(desk);
        callService.useTransfers(desk);
        new AgentRoutes(callStore, transferStore, feed, tc.agentQueues()).register(http);
    }
}
