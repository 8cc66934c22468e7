package io.voicebot.dialog.questionnaire;

import io.voicebot.dialog.Action;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogException;
import io.voicebot.dialog.DialogLoader;
import io.voicebot.dialog.DialogRun;
import io.voicebot.dialog.Input;
import io.voicebot.dialog.Knowledge;
import io.voicebot.dialog.Outcome;
import io.voicebot.dialog.ScriptWriter;
import io.voicebot.dialog.SlotType;
import io.voicebot.dialog.Step;
import io.voicebot.dialog.grammar.GrammarLibrary;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class QuestionnaireCompilerTest {
    private static final Path HOME = Path.of(System.getProperty("voicebot.home", "..")).toAbsolutePath();
    private static final DialogLoader LOADER =
            new DialogLoader(GrammarLibrary.load(HOME.resolve("grammars")), Knowledge.EMPTY);
    private static final QuestionnaireCompiler COMPILER = new QuestionnaireCompiler(LOADER);
    private static final ZoneId ZONE = ZoneId.of("Europe/London");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZONE);

    private static final String JSON = """
            {"name": "branch_visit",
             "greeting": "Hello, this is Example Bank with a short survey about your branch visit.",
             "identity_check": true,
             "questions": [
               {"key": "friendly", "text": "Was our staff friendly?", "type": "yes_no"},
               {"key": "score", "text": "How would you rate your visit from one to five?", "type": "rating"},
               {"key": "channel", "text": "How do you usually bank with us: branch, phone, or online?",
                "type": "choice", "choices": ["Branch", "Phone", "Online banking"]},
               {"key": "visits", "text": "How many times did you visit us this year?", "type": "number",
                "min": 0, "max": 100},
               {"key": "next_visit", "text": "When do you plan your next visit?", "type": "date", "required": false},
               {"key": "comment", "text": "Is there anything else you would like to tell us?", "type": "free_text",
                "required": false}
             ],
             "closing": "Thank you, goodbye."}
            """;

    private static List<Action> feed(DialogRun run, Input in) {
        return run.onInput(in);
    }

    @Test
    void jsonCompilesAndRuns() {
        Dialog d = COMPILER.compile("branch_visit.json", JSON);
        assertEquals("branch_visit", d.name());
        Step.Ask score = (Step.Ask) d.step("score");
        assertEquals("rating_1_5", score.grammar());
        assertEquals(SlotType.NUMBER, score.slot());
        assertEquals("channel_choices", d.grammarOf("channel").name());

        DialogRun run = d.newRun(CLOCK, ZONE);
        List<Action> a = run.start(Map.of("name", "Ann Lee"));
        assertEquals("Hello, this is Example Bank with a short survey about your branch visit. Am I speaking with"
                + " ${name}?", ((Action.Say) a.get(0)).template());
        feed(run, new Input.Speech("yes", 0.9));
        feed(run, new Input.Speech("yes", 0.9));
        feed(run, new Input.Dtmf("4"));
        a = feed(run, new Input.Speech("mostly online banking", 0.8));
        assertEquals("online_banking", run.answers().get("channel"));
        Action.Listen visits = (Action.Listen) a.get(a.size() - 1);
        assertEquals(SlotType.NUMBER, visits.slot());
        assertEquals(3, visits.maxDigits());
        feed(run, new Input.Speech("twelve", 0.9));
        a = feed(run, new Input.Speech("the fifteenth of april", 0.9));
        assertEquals("2026-04-15", run.answers().get("next_visit"));
        a = feed(run, new Input.Speech("the parking was full", 0.3));
        assertEquals(Outcome.COMPLETED, ((Action.Hangup) a.get(a.size() - 1)).outcome());
        assertEquals("Thank you, goodbye.", ((Action.Say) a.get(a.size() - 2)).template());
        assertEquals(Map.of("friendly", "yes", "score", "4", "channel", "online_banking", "visits", "12",
                "next_visit", "2026-04-15", "comment", "the parking was full"), run.answers());
    }

    @Test
    void choiceByKeyAndOptionalQuestionSkipped() {
        DialogRun run = COMPILER.compile("branch_visit.json", JSON).newRun(CLOCK, ZONE);
        run.start(Map.of("name", "Ann Lee"));
        feed(run, new Input.Dtmf("1"));
        feed(run, new Input.Dtmf("2"));
        feed(run, new Input.Dtmf("5"));
        feed(run, new Input.Dtmf("2"));
        List<Action> a = feed(run, new Input.Speech("one hundred and one", 0.9));
        assertEquals(List.of("Sorry, I did not understand. Please say a number from zero to one hundred."),
                a.stream().filter(x -> x instanceof Action.Say).map(x -> ((Action.Say) x).template()).toList());
        feed(run, new Input.Dtmf("7#"));
        // the date is optional: three silences skip it
        feed(run, new Input.NoInput());
        feed(run, new Input.NoInput());
        a = feed(run, new Input.NoInput());
        assertEquals("comment", ((Action.Listen) a.get(a.size() - 1)).stepId());
        assertEquals(Map.of("friendly", "no", "score", "5", "channel", "phone", "visits", "7"),
                Map.copyOf(run.answers()));
    }

    @Test
    void wrongPersonAtIdentityCheck() {
        DialogRun run = COMPILER.compile("branch_visit.json", JSON).newRun(CLOCK, ZONE);
        run.start(Map.of("name", "Ann Lee"));
        List<Action> a = feed(run, new Input.Speech("no", 0.9));
        // a short spoken "no" that would end the call is read back first
        assertEquals("identity", ((Action.Listen) a.get(a.size() - 1)).stepId());
        a = feed(run, new Input.Speech("yes", 0.9));
        assertEquals(Outcome.WRONG_PERSON, ((Action.Hangup) a.get(a.size() - 1)).outcome());
    }

    @Test
    void csvCompilesAndRuns() {
        String csv = "question,type,choices,required,key,min,max\r\n"
                + "Was your problem solved?,yes_no,,yes,solved,,\r\n"
                + "\"How likely are you to recommend us, from zero to ten?\",rating,,yes,nps,0,10\r\n"
                + "Which product did you call about?,choice,Card|Loan|Savings account,no,product,,\r\n";
        Dialog d = COMPILER.compile("uploads/After Call Survey.csv", csv);
        assertEquals("after_call_survey", d.name());
        Step.Ask nps = (Step.Ask) d.step("nps");
        assertNull(nps.grammar(), "0 to 10 is not the rating_1_5 grammar");
        assertEquals(0.0, nps.min());
        DialogRun run = d.newRun(CLOCK, ZONE);
        run.start(Map.of("name", "Bo"));
        feed(run, new Input.Speech("yes", 0.9));
        feed(run, new Input.Speech("yes", 0.9));
        feed(run, new Input.Speech("ten", 0.9));
        List<Action> a = feed(run, new Input.Speech("a savings account", 0.9));
        assertEquals(Outcome.COMPLETED, ((Action.Hangup) a.get(a.size() - 1)).outcome());
        assertEquals(Map.of("solved", "yes", "nps", "10", "product", "savings_account"), run.answers());
    }

    @Test
    void compiledQuestionnaireRoundTripsThroughYaml() {
        Dialog d = COMPILER.compile("branch_visit.json", JSON);
        String yaml = ScriptWriter.toYaml(d);
        assertTrue(yaml.contains("name: branch_visit"), yaml);
        assertTrue(yaml.contains("grammar: rating_1_5"), yaml);
        Dialog back = LOADER.parse("branch_visit.yaml", yaml);
        assertEquals(d.steps(), back.steps());
        assertEquals(d.start(), back.start());
    }

    @Test
    void badCsvRowsAreAllReportedWithLineAndColumn() {
        String csv = "question,type,choices,required\n"
                + "Was it good?,yes_no,,yes\n"
                + "How was it?,ratng,,yes\n"
                + "\n"
                + "\"Pick one,\n please\",choice,Card,maybe\n"
                + ",yes_no,,\n"
                + "Pick a plan,choice,Plan 1|Plan 2,yes\n";
        DialogException e = assertThrows(DialogException.class, () -> COMPILER.compile("survey.csv", csv));
        assertEquals(List.of(
                "survey.csv: line 3, column 'type': unknown type 'ratng' (one of: yes_no, rating, number, choice, date, free_text)",
                "survey.csv: line 5, column 'required': 'maybe' is not yes or no",
                "survey.csv: line 5, column 'choices': a choice question needs at least two choices",
                "survey.csv: line 7, column 'question': missing question text",
                "survey.csv: line 8, column 'choices': 'Plan 1' must be plain words (write numbers as words; no symbols)",
                "survey.csv: line 8, column 'choices': 'Plan 2' must be plain words (write numbers as words; no symbols)"),
                e.problems());
    }

    @Test
    void badCsvHeader() {
        DialogException e = assertThrows(DialogException.class,
                () -> COMPILER.compile("s.csv", "question,kind,required\nA?,yes_no,yes\n"));
        assertTrue(e.problems().contains("s.csv: line 1, column 2: unknown column 'kind' (columns: question, type,"
                + " choices, required, optional key, min, max)"), e.problems().toString());
        assertTrue(e.problems().contains("s.csv: line 1: missing column 'type'"));
        assertTrue(e.problems().contains("s.csv: line 1: missing column 'choices'"));
        DialogException q = assertThrows(DialogException.class,
                () -> COMPILER.compile("q.csv", "question,type,choices,required\n\"open,yes_no,,\n"));
        assertEquals(List.of("q.csv: line 2: quote opened here is never closed"), q.problems());
    }

    @Test
    void badJsonIsAllReportedWithFieldPaths() {
        String json = """
                {"name": "Bad Name", "colour": "red",
                 "questions": [
                   {"text": "Rate us", "type": "rating", "min": 3, "max": 2},
                   {"key": "q1", "text": "Again?", "type": "yes_no", "choices": ["a", "b"]},
                   {"key": "closing", "text": "When?", "type": "date", "min": 1},
                   {"text": "", "type": "choice", "choices": ["Yes", "yes"], "required": "no"}
                 ]}
                """;
        DialogException e = assertThrows(DialogException.class, () -> COMPILER.compile("bad.json", json));
        assertEquals(List.of(
                "bad.json: colour: unknown field (allowed: name, greeting, identity_check, questions, closing)",
                "bad.json: name: must be lower_snake_case, got 'Bad Name'",
                "bad.json: questions[0].max: a rating goes from 0 or 1 up to at most 10, got 3 to 2",
                "bad.json: questions[1].key: 'q1' is used by another question",
                "bad.json: questions[1].choices: only choice questions have choices",
                "bad.json: questions[2].key: 'closing' is reserved (identity, greeting, closing, wrong_person)",
                "bad.json: questions[2].min: only rating and number questions have min and max",
                "bad.json: questions[3].required: must be true or false",
                "bad.json: questions[3].text: missing question text",
                "bad.json: questions[3].choices: 'yes' is listed twice"),
                e.problems());
    }
}
