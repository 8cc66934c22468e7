package io.voicebot.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.config.Settings;
import io.voicebot.sim.AudioSocketPeer;
import io.voicebot.sim.CallPlacer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.voicebot.sim.SimulationFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A payment reminder (its disclosure says the call is recorded) placed by a campaign through the dialer and the
 * in-process Asterisk, answered by a person who says "Hello?" and then answers: the call's record shows the
 * attempt, the answering-machine verdict, the gate's reason and the number called; its recording, fetched through
 * the API, has what the caller sent on the left channel and what the robot sent on the right, as long as the
 * audio session lasted. A survey (no recording disclosure) records nothing.
 */
class RecordingEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PHONE = "+12025550141";
    private static final String RULES = """
            default: {weekdays: "00:00-24:00", saturday: "00:00-24:00", sunday: "00:00-24:00"}
            caps: {per_day: 5, per_week: 10, per_month: 20, count: answered}
            """;

    private static TestDatabase tdb;
    private static Simulation sim;
    private static String operator;
    private static String agent;
    private static final Map<String, short[]> said = new LinkedHashMap<>();
    private static SimulatedCaller person;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        Path dir = Files.createTempDirectory("recording-test");
        Files.writeString(dir.resolve("compliance.yaml"), RULES);
        Map<String, String> o = new HashMap<>(tdb.overrides());
        o.put("campaign.compliance.file", dir.resolve("compliance.yaml").toString());
        o.put("campaign.tick.ms", "200");
        Path home = Path.of(System.getProperty("voicebot.home", ".."));
        sim = Simulation.start(Settings.load(null, Map.of()), home, o);
        ApiTokenStore tokens = new ApiTokenStore(sim.server().database(), Clock.systemUTC());
        operator = tokens.create("ops", Role.OPERATOR).secret();
        agent = tokens.create("desk", Role.AGENT).secret();
        for (String s : List.of("Hello?", "yes", "i will pay", "next friday")) {
            said.put(s, sim.voice(s));
        }
        person = new SimulatedCaller(List.of(speak("yes"), speak("i will pay"), speak("next friday"), speak("yes")),
                1200, 60_000).withGreeting("Hello?", said.get("Hello?"));
        sim.answerWith(oc -> oc.number().contains(PHONE.substring(1)) ? person : null);
    }

    private static Reply speak(String text) {
        return new Reply.Speak(text, said.get(text));
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
        tdb.close();
    }

    private static HttpResponse<byte[]> api(String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort()
                + path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
    }

    private static double energy(short[] pcm) {
        double e = 0;
        for (short s : pcm) {
            e += (double) s * s;
        }
        return e;
    }

    @Test
    void aCampaignCallIsRecordedInStereoAndItsRecordShowsTheAttempt() throws Exception {
        HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + sim.server().httpPort() + "/api/lists?name=recorded&dialog=payment_reminder"))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("phone,name,amount,due_date,timezone\n" + PHONE
                        + ",Ann Lee,125.50,2026-11-20,UTC\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, upload.statusCode(), upload.body());
        long list = JSON.readTree(upload.body()).path("id").asLong();
        HttpResponse<byte[]> created = api("POST", "/api/campaigns", operator, """
                {"name": "recorded", "dialog": "payment_reminder", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
                """.formatted(list));
        assertEquals(201, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
        long campaign = json(created).path("id").asLong();
        assertEquals(200, api("POST", "/api/campaigns/" + campaign + "/start", operator, null).statusCode());

        await("the campaign call", Duration.ofSeconds(60), () -> !sim.campaignCalls().isEmpty());
        CallPlacer.Placed placed = sim.campaignCalls().get(0).get(3, TimeUnit.MINUTES);
        String id = placed.id().toString();

        JsonNode rows = json(api("GET", "/api/calls?campaign=" + campaign, agent, null)).path("calls");
        assertEquals(1, rows.size(), rows.toString());
        assertEquals(id, rows.get(0).path("id").asText());

        JsonNode[] detail = new JsonNode[1];
        await("the recording to be finished", Duration.ofSeconds(20), () -> {
            try {
                detail[0] = json(api("GET", "/api/calls/" + id, agent, null));
                return detail[0].path("recording").path("state").asText().equals("complete");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode call = detail[0];
        assertEquals("outbound", call.path("direction").asText());
        assertEquals(PHONE, call.path("calledNumber").asText(), call.toString());
        JsonNode attempt = call.path("attempt");
        assertEquals(1, attempt.path("attemptNo").asInt(), call.toString());
        assertEquals(campaign, attempt.path("campaign").path("id").asLong());
        assertEquals("recorded", attempt.path("campaign").path("name").asText());
        assertEquals("Ann Lee", attempt.path("contact").path("name").asText());
        assertEquals(PHONE, attempt.path("contact").path("phone").asText());
        assertEquals("human", attempt.path("amd").path("verdict").asText(), call.toString());
        assertTrue(attempt.path("gate").path("reason").asText().contains("inside the campaign window"),
                call.toString());
        assertTrue(attempt.path("gate").path("allowed").asBoolean(), call.toString());
        assertEquals("/api/calls/" + id + "/recording", call.path("recording").path("url").asText());

        // the recording needs a token; an agent gets the WAV
        assertEquals(401, api("GET", "/api/calls/" + id + "/recording", null, null).statusCode());
        HttpResponse<byte[]> wav = api("GET", "/api/calls/" + id + "/recording", agent, null);
        assertEquals(200, wav.statusCode());
        assertEquals("audio/wav", wav.headers().firstValue("Content-Type").orElse(""));
        short[][] channels = stereo(wav.body());
        short[] left = channels[0];
        short[] right = channels[1];

        // length: one stereo frame per frame the robot sent, i.e. what reached the caller's side
        List<AudioSocketPeer.ReceivedFrame> heard = person.heard();
        long frames = left.length / 160;
        assertTrue(Math.abs(frames - heard.size()) <= 3, "recording has " + frames + " frames, the caller got "
                + heard.size());

        // right channel: exactly the robot's audio, prompts and silence
        double robot = 0;
        for (AudioSocketPeer.ReceivedFrame f : heard) {
            robot += energy(f.frame().samples());
        }
        double rightEnergy = energy(right);
        assertTrue(robot > 0);
        assertTrue(Math.abs(rightEnergy / robot - 1) < 0.05, "right " + rightEnergy + " vs robot " + robot);

        // left channel: what the caller said (greeting and each answer), nothing of the robot
        double callerSent = 0;
        for (SimulatedCaller.Event e : person.events()) {
            for (Map.Entry<String, short[]> s : said.entrySet()) {
                if (e.what().equals("caller says: \"" + s.getKey() + "\"")
                        || e.what().equals("caller answers: \"" + s.getKey() + "\"")) {
                    callerSent += energy(s.getValue());
                }
            }
        }
        assertTrue(callerSent > 0, person.events().toString());
        double leftEnergy = energy(left);
        assertTrue(Math.abs(leftEnergy / callerSent - 1) < 0.1, "left " + leftEnergy + " vs sent " + callerSent
                + "; " + person.events());

        System.out.printf("recording: %d frames, caller received %d; right/robot energy %.4f, left/caller %.4f%n",
                frames, heard.size(), rightEnergy / robot, leftEnergy / callerSent);
        // on the file's timeline the caller's greeting starts before the robot's disclosure ends, and the robot is
        // silent on the right while the caller's first answer plays on the left
        int firstLoudLeft = firstLoud(left, 0);
        int firstLoudRight = firstLoud(right, 0);
        assertTrue(firstLoudLeft >= 0 && firstLoudRight >= 0);
        assertTrue(Math.abs(firstLoudLeft - firstLoudRight) < 8000 * 2, "greeting at " + firstLoudLeft
                + ", disclosure at " + firstLoudRight);

        Path file = sim.server().config().dataDir().resolve("recordings");
        try (var s = Files.walk(file)) {
            assertEquals(1, s.filter(p -> p.toString().endsWith(".wav")).count());
        }
    }

    @Test
    void aDialogWithoutARecordingDisclosureRecordsNothing() throws Exception {
        Simulation.CallReport r = sim.outbound("satisfaction_survey", Map.of("name", "Bo Chan"), "+12025550142",
                new SimulatedCaller(sim.replies(List.of("yes", "yes", "#4", "no"))), Duration.ofMinutes(3));
        String id = r.id().toString();
        JsonNode call = json(api("GET", "/api/calls/" + id, agent, null));
        assertEquals("+12025550142", call.path("calledNumber").asText(), call.toString());
        assertTrue(call.path("recording").isNull(), call.toString());
        assertTrue(call.path("attempt").isNull(), call.toString());
        HttpResponse<byte[]> none = api("GET", "/api/calls/" + id + "/recording", agent, null);
        assertEquals(404, none.statusCode());
        assertTrue(json(none).path("error").asText().contains("no recording"));
        Path dir = sim.server().config().dataDir().resolve("recordings");
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(id)));
            }
        }
        assertNotNull(r.call());
    }

    /** Samples of the first frame louder than about -40 dBFS, from {@code from}; -1 when none. */
    private static int firstLoud(short[] pcm, int from) {
        for (int i = from; i + 160 <= pcm.length; i += 160) {
            double e = 0;
            for (int j = i; j < i + 160; j++) {
                e += (double) pcm[j] * pcm[j];
            }
            if (e / 160 > 1e-4 * 32768.0 * 32768.0) {
                return i;
            }
        }
        return -1;
    }

    /** The two channels of a 16-bit stereo 8 kHz WAV, checking its header. */
    static short[][] stereo(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(wav.length - 8, b.getInt(4));
        assertEquals("WAVE", new String(wav, 8, 4, StandardCharsets.US_ASCII));
        assertEquals(1, b.getShort(20)); // PCM
        assertEquals(2, b.getShort(22)); // stereo
        assertEquals(8000, b.getInt(24));
        assertEquals(16, b.getShort(34));
        int data = b.getInt(40);
        assertEquals(wav.length - 44, data);
        int n = data / 4;
        short[] left = new short[n];
        short[] right = new short[n];
        for (int i = 0; i < n; i++) {
            left[i] = b.getShort(44 + i * 4);
            right[i] = b.getShort(46 + i * 4);
        }
        return new short[][] {left, right};
    }
}
