package io.voicebot.call;

import io.voicebot.speech.amd.AmdSettings;
import io.voicebot.phone.PhoneNumbers;
import io.voicebot.speech.asr.Recognizer;
import io.voicebot.speech.asr.TurnOptions;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.store.CallStore;
import io.voicebot.store.DncStore;
import io.voicebot.store.FollowupStore;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What every call session shares: engines, stores, executors and a few settings. Built once by the server. */
public record CallContext(Recognizer recognizer, PromptCache prompts, CallStore store, FollowupStore followups,
                          DncStore dnc, PhoneNumbers phones,
                          Webhooks webhooks, TurnOptions turnOptions, Clock clock, ZoneId zone, Executor executor,
                          ScheduledExecutorService scheduler, String defaultQueue, Duration synthesisTimeout,
                          AmdSettings amd, Duration latePrompt) {}
