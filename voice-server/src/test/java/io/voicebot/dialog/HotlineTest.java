package io.voicebot.dialog;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class HotlineTest {
    private DialogRun run;
    private List<Action> a;

    @BeforeEach
    void start() {
        run = run(builtIn("hotline"));
        a = run.start(Map.of("caller_id", "+15551234567"));
    }

    @Test
    void balanceThroughWebhook() {
        assertEquals("main", listensAt(a));
        a = run.onInput(say("I want to check my balance"));
        Action.Listen l = (Action.Listen) a.get(a.size() - 1);
        assertEquals(SlotType.DIGITS, l.slot());
        assertEquals(12, l.maxDigits());
        a = run.onInput(keys("123"));
        assertEquals("account_number", listensAt(a), "three digits are too short for an account number");
        a = run.onInput(keys("12345678#"));
        assertEquals("pin", listensAt(a));
        a = run.onInput(keys("4321#"));
        Action.Webhook w = one(a, Action.Webhook.class);
        assertEquals("http://127.0.0.1:8080/api/hooks/balance", w.url());
        assertEquals(Map.of("account", "12345678", "pin", "4321"), w.payload());
        assertEquals(DialogRun.State.AWAITING_WEBHOOK, run.state());
        assertEquals(List.of(), run.onInput(new Input.WebhookResult("other", true, Map.of())));
        a = run.onInput(new Input.WebhookResult("balance_lookup", true,
                Map.of("verified", "true", "balance", "1200.50", "locked", "false")));
        Action.Say s = of(a, Action.Say.class).get(0);
        assertEquals("The balance of your account is ${lookup.balance}.", s.template());
        assertEquals("1200.50", s.vars().get("lookup.balance"));
        assertEquals("anything_else", listensAt(a));
        a = run.onInput(say("no thanks"));
        assertEquals(Outcome.COMPLETED, hangupOutcome(a));
        assertEquals(Turn.Mode.WEBHOOK, run.turns().get(run.turns().size() - 2).mode());
    }

    @Test
    void theListenSaysWhatEachPhraseMeans() {
        Action.Listen l = (Action.Listen) a.get(a.size() - 1);
        Map<String, String> m = l.earlyEnd().meanings();
        assertEquals("answer:card", m.get("card"));
        assertEquals("answer:card", m.get("lost my card"));
        assertEquals("answer:agent", m.get("agent"), "the menu's own answer, not the global intent");
        assertEquals(0.5, l.earlyEnd().readBackBelow(), "the dialog's default confirm_below");
        assertEquals("global:OPT_OUT", m.get(l.secondary().stream()
                .filter(p -> p.startsWith("stop")).findFirst().orElseThrow()));
        a = run.onInput(say("I want to check my balance"));
        a = run.onInput(keys("123456#"));
        a = run.onInput(keys("1111#"));
        a = run.onInput(new Input.WebhookResult("balance_lookup", true,
                Map.of("verified", "true", "balance", "1.00", "locked", "false")));
        Action.Listen more = (Action.Listen) a.get(a.size() - 1);
        assertEquals("anything_else", more.stepId());
        Map<String, String> mm = more.earlyEnd().meanings();
        assertEquals(mm.get("no"), mm.get("no thanks"));
        assertNotEquals(mm.get("no"), mm.get(more.secondary().stream()
                .filter(p -> p.startsWith("no ")).findFirst().orElseThrow()),
                "'no' is inside an opt-out phrase, which means something else");
    }

    @Test
    void spokenAccountNumberWithLowConfidenceIsConfirmed() {
        run.onInput(keys("1"));
        a = run.onInput(say("four one two five five six seven", 0.6));
        assertEquals("4125567", one(a, Action.Say.class).vars().get("heard"));
        a = run.onInput(say("yes"));
        assertEquals("pin", listensAt(a));
        a = run.onInput(keys("9876#"));
        assertEquals("4125567", one(a, Action.Webhook.class).payload().get("account"));
    }

    @Test
    void webhookFailureHandsOver() {
        run.onInput(say("balance"));
        run.onInput(keys("123456#"));
        run.onInput(keys("1111#"));
        a = run.onInput(new Input.WebhookResult("balance_lookup", false, Map.of()));
        assertEquals(List.of("Sorry, I cannot look up your balance right now.", "Let me connect you with an agent."),
                templates(a));
        assertEquals(new Action.Transfer("to_agent", "hotline-agents", "needs_agent"), a.get(a.size() - 1));
    }

    @Test
    void frequentQuestionIsAnsweredFromTheKnowledgeFile() {
        a = run.onInput(say("what time do you open on saturday"));
        assertTrue(templates(a).get(0).startsWith("Our branches are open Monday to Friday"));
        assertEquals("anything_else", listensAt(a));
        assertEquals("faq:opening_hours", run.turns().get(0).intent());
        assertEquals("what_else", listensAt(run.onInput(say("yes"))));
        // "loan" is a menu word, but the longer phrase names a frequent question
        a = run.onInput(say("what are your loan rates"));
        assertTrue(templates(a).get(0).startsWith("Our personal loans currently start"));
    }

    @Test
    void menuWordStillWinsOverAWeakerQuestionMatch() {
        a = run.onInput(say("loan"));
        assertEquals("loan_info", listensAt(a));
        a = run.onInput(say("how do i apply"));
        assertTrue(templates(a).get(0).startsWith("You can apply for a loan"));
    }

    @Test
    void cannotHelpAfterTwoTriesHandsOverToAnAgent() {
        a = run.onInput(say("my cat ate the remote"));
        assertEquals(List.of("Sorry, I did not understand. You can say balance, card, loan, or agent."), templates(a));
        a = run.onInput(say("the weather is nice"));
        assertEquals(new Action.Transfer("to_agent", "hotline-agents", "needs_agent"), a.get(a.size() - 1));
        assertEquals(Outcome.TRANSFERRED, run.outcome());
    }

    @Test
    void agentByMenuOrKey() {
        a = run.onInput(keys("0"));
        assertEquals("to_agent", ((Action.Transfer) a.get(a.size() - 1)).stepId());
    }

    @Test
    void lostCardGoesToCardServices() {
        assertEquals("card_lost", listensAt(run.onInput(say("card"))));
        a = run.onInput(say("yes"));
        // "yes" hands the caller to a person: a short spoken answer is confirmed first
        assertEquals(List.of("I heard ${heard}. Is that right?"), templates(a));
        a = run.onInput(say("yes"));
        assertEquals(new Action.Transfer("card_block", "card-services", "card_lost"), a.get(a.size() - 1));
    }

    @Test
    void wrongPersonIsNotAGlobalOnTheHotline() {
        // the hotline turns on only agent, repeat and opt-out
        a = run.onInput(say("wrong number"));
        assertEquals("main", listensAt(a));
        assertFalse(((Action.Listen) a.get(a.size() - 1)).phrases().contains("wrong number"));
    }

    /** Up to the PIN prompt with a typed account number. */
    private void toPin() {
        run.onInput(say("balance"));
        a = run.onInput(keys("12345678#"));
        assertEquals("pin", listensAt(a));
    }

    private static Input.WebhookResult lookup(String verified, String locked) {
        return new Input.WebhookResult("balance_lookup", true,
                Map.of("verified", verified, "balance", "1200.50", "locked", locked));
    }

    @Test
    void thePinIsTypedOnlyNeverStoredAndReachesOnlyTheNextWebhook() {
        toPin();
        Action.Listen l = (Action.Listen) a.get(a.size() - 1);
        assertTrue(l.dtmfAllowed());
        assertFalse(l.phrases().contains("four"), "the recognizer is not listening for spoken digits");
        a = run.onInput(say("four three two one"));
        assertEquals("pin", listensAt(a), "a spoken PIN is not taken");
        a = run.onInput(keys("4321#"));
        assertEquals("4321", one(a, Action.Webhook.class).payload().get("pin"));
        assertTrue(of(a, Action.RecordAnswer.class).stream().noneMatch(r -> r.value().contains("4321")));
        assertFalse(run.answers().containsValue("4321"));
        assertFalse(run.vars().containsValue("4321"));
        for (Turn t : run.turns()) {
            assertFalse(String.valueOf(t.transcript()).contains("4321") || String.valueOf(t.intent()).contains("4321")
                    || String.valueOf(t.transcript()).contains("four"), t.toString());
        }
        assertEquals("****", run.turns().get(run.turns().size() - 2).transcript());
        // a second webhook in the same call does not get the PIN again
        a = run.onInput(lookup("false", "false"));
        assertEquals(List.of("That PIN is not correct.", "For your security, please type your PIN on your keypad,"
                + " followed by the hash key."), templates(a));
    }

    @Test
    void theBalanceIsSpokenOnlyToAVerifiedCaller() {
        toPin();
        run.onInput(keys("1111#"));
        a = run.onInput(lookup("false", "false"));
        assertEquals("pin", listensAt(a));
        assertTrue(templates(a).stream().noneMatch(t -> t.contains("balance")), templates(a).toString());
        run.onInput(keys("4321#"));
        a = run.onInput(lookup("true", "false"));
        assertEquals("The balance of your account is ${lookup.balance}.", templates(a).get(0));
    }

    @Test
    void threeWrongPinsInTheCallHandOverWithADecision() {
        toPin();
        for (int i = 0; i < 2; i++) {
            run.onInput(keys("1111#"));
            a = run.onInput(lookup("false", "false"));
            assertEquals("pin", listensAt(a));
        }
        run.onInput(keys("1111#"));
        a = run.onInput(lookup("false", "false"));
        assertEquals(List.of("For your security I cannot give account details on this call. Let me connect you"
                + " with an agent."), templates(a));
        assertEquals(new Action.Decision("id_failed", "identification_failed", true,
                "identification failed 3 times"), one(a, Action.Decision.class));
        assertEquals(new Action.Transfer("id_failed", "hotline-agents", "identification_failed"), a.get(a.size() - 1));
        assertEquals(Outcome.TRANSFERRED, run.outcome());
    }

    @Test
    void anAccountLockedByTheBankHandsOverAtOnce() {
        toPin();
        run.onInput(keys("4321#"));
        a = run.onInput(lookup("false", "true"));
        assertEquals(new Action.Decision("id_locked", "account_locked", true, "account locked by the bank"),
                one(a, Action.Decision.class));
        assertTrue(templates(a).stream().noneMatch(t -> t.contains("balance of your account")));
        assertEquals(Outcome.TRANSFERRED, run.outcome());
    }

    @Test
    void agentKeyStillWorksAtThePin() {
        toPin();
        a = run.onInput(keys("0"));
        assertEquals(Outcome.TRANSFERRED, run.outcome());
    }
}
