package io.voicebot.speech.asr;

import io.voicebot.dialog.Action;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogLoader;
import io.voicebot.dialog.KnowledgeLoader;
import io.voicebot.dialog.DialogRun;
import io.voicebot.dialog.Input;
import io.voicebot.dialog.Outcome;
import io.voicebot.dialog.Step;
import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.speech.tts.MaryTtsSynthesizer;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The labelled understanding benchmark (issue 12, scripts/bench-understanding). Each built-in dialog step is
 * reached by a real {@link DialogRun}; its {@link Action.Listen} becomes the recognizer's vocabulary exactly as
 * CallSession builds it (step phrases, global phrases as the secondary branch); the recognized text and confidence
 * go back into the run as {@link Input.Speech}, and what the run does next is what is counted: the answer it
 * records, a read-back, a "Just to be sure" question, a no-match, or a destructive action taken at once.
 * {@code --flat}: the step's and the global phrases as one flat list (the behaviour before the step-first grammar).
 * Run: scripts/bench-understanding [--quick | --full] [--flat] [--conditions c1,c2] [--voices v1,v2] [--oog-conditions ...]
 */
public final class UnderstandingBenchmark {
    static final ZoneId ZONE = ZoneId.of("America/New_York");
    static final Clock CLOCK = Clock.fixed(ZonedDateTime.of(2026, 3, 2, 10, 0, 0, 0, ZONE).toInstant(), ZONE);
    private static final Map<String, String> CONTACT = Map.of("name", "John Smith", "amount", "120.50",
            "due_date", "2026-02-20");
    private static final Set<Outcome> DESTRUCTIVE = Set.of(Outcome.OPTED_OUT, Outcome.WRONG_PERSON,
            Outcome.TRANSFERRED);

    /** A one-digit step and a short PIN step: no built-in dialog asks for one digit. */
    private static final String BENCH_DIALOG = """
            name: bench_digits
            steps:
              - id: one_digit
                ask: "Press or say one digit."
                slot: digits
                max: 1
                key: choice
                next: done
              - id: done
                hangup: completed
                say: "Thank you."
            """;

    record Task(String name, String dialog, String step, List<Input> path, List<String> spoken, boolean oog) {}

    record Row(String task, String step, String voice, String condition, String kind, String spoken, String heard,
               double confidence, boolean right, String result, boolean destructiveGlobal, boolean actedAtOnce,
               boolean destructiveOutcome, long decodeMs) {}

    /** The task of that name (tests pick a step's labelled answers by it). */
    static Task task(String name) {
        return tasks().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no task named " + name));
    }

    static List<Task> tasks() {
        Input yes = new Input.Speech("yes", 0.99);
        List<String> globals = List.of("stop calling me", "remove my number", "wrong number", "wrong person",
                "agent", "a human", "operator", "call me later", "can you repeat that", "what", "huh", "hello",
                "excuse me");
        return List.of(
                new Task("yes_no", "satisfaction_survey", "identity", List.of(),
                        List.of("yes", "no", "yeah", "nope", "correct", "sure"), true),
                new Task("rating_1_5", "satisfaction_survey", "rating", List.of(yes, yes),
                        List.of("one", "two", "three", "four", "five", "four stars", "five stars"), true),
                new Task("one_digit", "bench_digits", "one_digit", List.of(),
                        List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), true),
                new Task("digit_sequence", "hotline", "account_number", List.of(new Input.Speech("balance", 0.99)),
                        List.of("four one two three five six", "nine eight seven six five four three",
                                "one oh two three four five", "five five five two eight one nine"), true),
                new Task("hotline_intent", "hotline", "main", List.of(),
                        List.of("balance", "my card", "a loan", "lost my card", "check my balance", "mortgage"), true),
                new Task("payment_response", "payment_reminder", "reminder", List.of(yes),
                        List.of("yes", "already paid", "i already paid", "dispute", "i can't pay"), true),
                new Task("date_weekday", "payment_reminder", "promise_date", List.of(yes, yes),
                        List.of("tomorrow", "next friday", "monday", "on wednesday", "thursday", "sunday",
                                "tuesday", "saturday", "the day after tomorrow"), true),
                new Task("callback_time", "satisfaction_survey", "callback_time",
                        List.of(yes, yes, new Input.Speech("call me later", 0.99)),
                        List.of("tomorrow morning", "in two hours", "next week", "tonight", "monday afternoon",
                                "tuesday", "friday morning", "sunday at three"), false),
                new Task("unsure@identity", "satisfaction_survey", "identity", List.of(), BenchUtterances.UNSURE, false),
                new Task("unsure@rating", "satisfaction_survey", "rating", List.of(yes, yes),
                        BenchUtterances.UNSURE_GLOBAL, false),
                new Task("unsure@one_digit", "bench_digits", "one_digit", List.of(), BenchUtterances.UNSURE_GLOBAL,
                        false),
                new Task("unsure@promise_date", "payment_reminder", "promise_date", List.of(yes, yes),
                        BenchUtterances.UNSURE_GLOBAL, false),
                new Task("hold@identity", "satisfaction_survey", "identity", List.of(), BenchUtterances.HOLD, false),
                new Task("hold@rating", "satisfaction_survey", "rating", List.of(yes, yes), BenchUtterances.HOLD,
                        false),
                new Task("hold@one_digit", "bench_digits", "one_digit", List.of(), BenchUtterances.HOLD, false),
                new Task("globals@rating", "satisfaction_survey", "rating", List.of(yes, yes), globals, false),
                new Task("globals@identity", "satisfaction_survey", "identity", List.of(), globals, false),
                new Task("globals@reminder", "payment_reminder", "reminder", List.of(yes), globals, false));
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path home = Path.of(System.getProperty("voicebot.home", ".")).toAbsolutePath();
        Map<String, Dialog> dialogs = dialogs(home);
        BenchAudio audio = new BenchAudio(o.rate);
        MaryTtsSynthesizer mary = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.0, 1);
        Map<String, TestAudio.Voice> voices = new LinkedHashMap<>();
        voices.put("mary-slt", BenchAudio.mary(mary, o.rate));
        voices.put("espeak-us", audio.espeak("en-us", 150, 50));
        voices.put("espeak-f3", audio.espeak("en-us+f3", 150, 60));
        voices.put("espeak-m3-fast", audio.espeak("en-us+m3", 175, 40));
        voices.put("espeak-f4-slow", audio.espeak("en-us+f4", 130, 70));
        voices.keySet().retainAll(o.voices == null ? voices.keySet() : o.voices);
        if (o.human != null) { // human digit recordings: their voices, beside any synthetic ones named
            voices.putAll(HumanDigits.voices(o.human, o.takes));
        }
        List<Task> tasks = new ArrayList<>(tasks());
        if (o.human != null && o.tasks == null) {
            // answers they can say, and steps where a digit is out-of-grammar speech
            tasks.removeIf(t -> t.spoken().stream().noneMatch(HumanDigits.WORDS::contains)
                    && !(t.oog() && !o.oogConditions.isEmpty()));
        }
        if (o.tasks != null) {
            tasks.removeIf(t -> !o.tasks.contains(t.name()));
            if (tasks.isEmpty()) {
                throw new IllegalArgumentException("no task named " + o.tasks);
            }
        }
        for (Task t : tasks) {
            Probe.check(dialogs.get(t.dialog()), t); // every label is a phrase the step listens for
        }
        List<Row> rows = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong samples = new java.util.concurrent.atomic.AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (SphinxRecognizer rec = new SphinxRecognizer(2, 8000, new SphinxSettings(o.rejectBelow,
                o.garbagePrior, o.garbageWords, o.marginNats, o.unexplainedMs, o.otherPrior, o.otherAnswers))) {
            for (var v : voices.entrySet()) {
                Map<String, short[]> speech = new LinkedHashMap<>();
                for (Task t : tasks) {
                    for (String s : t.spoken()) {
                        speech.computeIfAbsent(s, x -> v.getValue().speak(x)); // null: a phrase it cannot say
                    }
                    if (o.wordy && BenchUtterances.WORDY.containsKey(t.name())) {
                        BenchUtterances.WORDY.get(t.name()).keySet().forEach(s -> speech.computeIfAbsent(s, x -> v.getValue().speak(x)));
                    }
                }
                if (tasks.stream().anyMatch(t -> t.oog() && !o.oogConditions.isEmpty())) {
                    for (String s : o.human == null ? o.oogSet() : HumanDigits.WORDS) {
                        speech.computeIfAbsent(s, x -> v.getValue().speak(x));
                    }
                }
                for (String cond : o.conditions) {
                    List<Future<?>> jobs = new ArrayList<>();
                    Map<String, short[]> heard = new LinkedHashMap<>();
                    for (var e : speech.entrySet()) {
                        heard.put(e.getKey(), audio.apply(e.getValue(), cond, (v.getKey() + e.getKey()).hashCode()));
                    }
                    for (Task t : tasks) {
                        Dialog d = dialogs.get(t.dialog());
                        List<String[]> items = new ArrayList<>();
                        t.spoken().forEach(s -> items.add(new String[] {s, kind(t)}));
                        if (o.wordy && BenchUtterances.WORDY.containsKey(t.name())) {
                            BenchUtterances.WORDY.get(t.name()).keySet().forEach(s -> items.add(new String[] {s, "wordy"}));
                        }
                        if (t.oog() && o.oogConditions.contains(cond)) {
                            oog(d, t, o).forEach(s -> items.add(new String[] {s, "oog"}));
                        }
                        for (String[] it : items) {
                            if (!heard.containsKey(it[0])) {
                                continue;
                            }
                            jobs.add(pool.submit(() -> {
                                rows.add(Probe.run(rec, d, t, v.getKey(), cond, it[0], it[1], heard.get(it[0]),
                                        o.flat, o.rate));
                                samples.addAndGet(heard.get(it[0]).length);
                                return null;
                            }));
                        }
                    }
                    for (Future<?> f : jobs) {
                        f.get();
                    }
                    System.out.printf("%s %s: %d results so far, %.0f s%n", v.getKey(), cond, rows.size(),
                            (System.nanoTime() - t0) / 1e9);
                }
            }
            double cpu = DecodeCpu.seconds("asr-sphinx-");
            System.out.printf(java.util.Locale.ROOT, "decoding threads' CPU: %.1f s for %.1f s of audio = %.3f CPU s "
                    + "per audio s%n", cpu, samples.get() / (double) o.rate, cpu / (samples.get() / (double) o.rate));
        } finally {
            pool.shutdown();
            mary.close(Duration.ofSeconds(5));
            audio.close();
        }
        BenchReport.write(home.resolve("voice-server/target"), o, new ArrayList<>(rows), voices.keySet(),
                (System.nanoTime() - t0) / 1e9);
        System.exit(0);
    }

    /**
     * in (the step's answers), global (global intents), unsure (the yes/no grammar's "not sure" phrases), hold
     * ("hang on": the robot waits).
     */
    static String kind(Task t) {
        return t.name().startsWith("globals") ? "global" : t.name().startsWith("unsure") ? "unsure"
                : t.name().startsWith("hold") ? "hold" : "in";
    }

    /**
     * Out-of-grammar speech said at a task's step: the unrelated sentences, or for human voices the digit words the
     * step does not listen for (a number said to a yes/no question). A set's utterance that asks again or waits at
     * the step, one of its "unsure" phrases ("maybe" at a yes/no question), a repeat request ("what") or a request
     * to wait ("hang on"), is left out there; one that is any other phrase of the step is an error in the set.
     */
    static List<String> oog(Dialog d, Task t, Options o) {
        List<String> heardThere = Probe.listenOf(d, t).phrases();
        if (o.human == null) {
            Grammar g = d.grammarOf(t.step());
            Map<String, String> intentOf = g == null ? Map.of() : g.intentByPhrase();
            List<String> out = new ArrayList<>();
            Set<String> asksAgain = new java.util.HashSet<>(); // what "repeat", "hang on", "not sure" do there
            for (String request : List.of("repeat", "hang on", "not sure")) {
                if (heardThere.contains(request)) {
                    asksAgain.add(Probe.meaning(d, t, request, 0.9));
                }
            }
            for (String s : o.oogSet()) {
                if (Grammar.UNSURE.equals(intentOf.get(s))
                        || heardThere.contains(s) && asksAgain.contains(Probe.meaning(d, t, s, 0.9))) {
                    continue; // it asks again or waits there ("not sure", "what", "hang on"): not out-of-grammar
                }
                if (heardThere.contains(s)) {
                    throw new IllegalStateException(t.name() + ": out-of-grammar '" + s + "' is a phrase of the step");
                }
                out.add(s);
            }
            return out;
        }
        return HumanDigits.WORDS.stream().filter(w -> !heardThere.contains(w)).toList();
    }

    /** The built-in dialogs and the one-digit bench dialog. */
    static Map<String, Dialog> dialogs(Path home) {
        GrammarLibrary lib = GrammarLibrary.load(home.resolve("grammars"));
        DialogLoader loader = new DialogLoader(lib, KnowledgeLoader.load(home.resolve("config/hotline-faq.yaml")));
        Map<String, Dialog> dialogs = new LinkedHashMap<>(loader.loadDir(home.resolve("config/dialogs")));
        dialogs.put("bench_digits", loader.parse("bench_digits", BENCH_DIALOG));
        return dialogs;
    }

    record Options(List<String> conditions, List<String> oogConditions, List<String> voices, boolean flat,
                   double rejectBelow, boolean quick, double garbagePrior, int garbageWords, List<String> tasks,
                   int rate, Path human, int takes, double marginNats, int unexplainedMs, boolean wordy,
                   double otherPrior, List<String> otherAnswers, boolean shortOog) {
        /** The out-of-grammar set said by synthetic voices: the sentences, or the short replies. */
        List<String> oogSet() {
            return shortOog ? BenchUtterances.SHORT_OOG : BenchUtterances.OOG;
        }

        static Options parse(String[] args) {
            // The default fits about 15-20 minutes on 2 shared cores (about 1 s per decode); --full is hours.
            List<String> conditions = List.of("clean", "ulaw", "phone", "white10");
            List<String> oog = List.of("clean");
            List<String> voices = List.of("mary-slt", "espeak-f3");
            boolean flat = false;
            boolean quick = false;
            double reject = 0.3; // the shipped speech.sphinx.reject.below
            double garbage = 0;
            int garbageWords = 40;
            List<String> only = null;
            int rate = 8000;
            Path human = null;
            int takes = 5;
            boolean voicesGiven = false;
            boolean wordy = false;
            double margin = SphinxSettings.DEFAULT_MARGIN_NATS; // the shipped speech.sphinx.margin.nats
            int unexplained = SphinxSettings.DEFAULT_UNEXPLAINED_MS; // the shipped speech.sphinx.unexplained.ms
            double other = SphinxSettings.DEFAULT_OTHER_PRIOR; // the shipped speech.sphinx.other.prior
            List<String> otherWords = SphinxSettings.DEFAULT_OTHER_ANSWERS; // the shipped speech.sphinx.other.answers
            boolean shortOog = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> {
                        quick = true;
                        conditions = List.of("clean", "white10");
                        oog = List.of("clean");
                        voices = List.of("espeak-f3");
                    }
                    case "--full" -> {
                        conditions = BenchAudio.CONDITIONS;
                        oog = List.of("clean", "ulaw", "white10", "pink10");
                        voices = null;
                    }
                    case "--flat" -> flat = true;
                    case "--wordy" -> wordy = true;
                    case "--conditions" -> conditions = List.of(args[++i].split(","));
                    case "--oog-conditions" -> oog = args[++i].equals("none") ? List.of() : List.of(args[i].split(","));
                    case "--voices" -> {
                        voices = List.of(args[++i].split(","));
                        voicesGiven = true;
                    }
                    case "--reject-below" -> reject = Double.parseDouble(args[++i]);
                    case "--garbage-prior" -> garbage = Double.parseDouble(args[++i]);
                    case "--garbage-words" -> garbageWords = Integer.parseInt(args[++i]);
                    case "--margin-nats" -> margin = Double.parseDouble(args[++i]);
                    case "--unexplained-ms" -> unexplained = Integer.parseInt(args[++i]);
                    case "--other-prior" -> other = Double.parseDouble(args[++i]);
                    case "--other-answers" -> otherWords = args[++i].equals("none") ? List.of()
                            : List.of(args[i].split(","));
                    case "--oog-set" -> shortOog = switch (args[++i]) {
                        case "sentences" -> false;
                        case "short" -> true;
                        default -> throw new IllegalArgumentException("--oog-set sentences or short, got " + args[i]);
                    };
                    case "--human" -> human = Path.of(args[++i]);
                    case "--takes" -> takes = Integer.parseInt(args[++i]);
                    case "--tasks" -> only = List.of(args[++i].split(","));
                    case "--wideband" -> { // a 16 kHz caller (slin16 over AudioSocket): the voices unfiltered
                        rate = 16000;
                        conditions = List.of("clean");
                        oog = List.of("clean");
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; use --quick, --full, --flat, --conditions a,b, --oog-conditions a,b, --voices a,b, "
                             + "--reject-below x, --margin-nats n, --unexplained-ms n, --other-prior p, "
                            + "--other-answers a,b|none, --oog-set sentences|short, --wordy, "
                            + "--garbage-prior p, --garbage-words n, --tasks a,b, "
                            + "--wideband, "
                            + "--human fsdd/recordings [--takes n] (conditions: " + BenchAudio.CONDITIONS + ")");
                }
            }
            for (String c : conditions) {
                if (!BenchAudio.CONDITIONS.contains(c)) {
                    throw new IllegalArgumentException("unknown condition " + c + "; known: " + BenchAudio.CONDITIONS);
                }
            }
            if (rate != 8000 && !conditions.equals(List.of("clean"))) {
                throw new IllegalArgumentException("--wideband decodes clean 16 kHz audio only; leave out --conditions");
            }
            if (human != null && !voicesGiven) {
                voices = List.of(); // the human voices alone, unless synthetic ones are named too
            }
            if (human != null && rate != 8000) {
                throw new IllegalArgumentException("--human recordings are 8 kHz; leave out --wideband");
            }
            return new Options(conditions, oog, voices, flat, reject, quick, garbage, garbageWords, only, rate, human,
                    takes, margin, unexplained, wordy, other, otherWords, shortOog);
        }
    }

    static boolean destructive(Outcome o) {
        return o != null && DESTRUCTIVE.contains(o);
    }

    static DialogRun runAt(Dialog d, Task t) {
        DialogRun run = d.newRun(CLOCK, ZONE);
        List<Action> a = run.start(CONTACT);
        a = Probe.pastDisclosure(run, a);
        for (Input in : t.path()) {
            a = Probe.pastDisclosure(run, run.onInput(in));
        }
        Action.Listen l = Probe.listen(a);
        if (l == null || !l.stepId().equals(t.step())) {
            throw new IllegalStateException(t.name() + ": expected to listen at " + t.step() + ", got " + a);
        }
        return run;
    }

    /** The step's own no-match reprompts (none for the callback-time question, which is not a step). */
    static List<String> noMatch(Dialog d, String step) {
        List<String> out = new ArrayList<>();
        if (d.step(step) instanceof Step.Ask a) {
            out.addAll(a.noMatch());
        }
        out.add(d.messages().get("no_match"));
        return out;
    }
}
