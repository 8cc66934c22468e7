package io.voicebot.dialog;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** The compiler's rules for {@code secret: true}: nothing that would store, read back or speak the secret. */
class SecretAskTest {
    private static final String OK = """
            name: s
            steps:
              - id: pin
                ask: "Type your PIN."
                slot: digits
                min: 4
                max: 6
                secret: true
                next: check
              - id: check
                webhook: "http://example.com/check"
                payload:
                  pin: "${secret.pin}"
                next: bye
              - id: bye
                hangup: completed
            """;

    private static List<String> problems(String yaml) {
        return assertThrows(DialogException.class, () -> loader().parse("p.yaml", yaml)).problems();
    }

    @Test
    void aSecretWithAKeyOrReadBackOrSpokenIsRefusedNamingFileStepAndField() {
        String bad = OK.replace("    secret: true\n", "    secret: true\n    key: pin_code\n    confirm_below: 0.9\n"
                + "    dtmf: false\n");
        List<String> p = problems(bad);
        assertTrue(p.contains("p.yaml: step 'pin': key: a secret answer is never stored: remove key (the next"
                + " webhook's payload gets it as ${secret.pin})"), p.toString());
        assertTrue(p.contains("p.yaml: step 'pin': confirm_below: a secret answer is never read back for"
                + " confirmation"), p.toString());
        assertTrue(p.contains("p.yaml: step 'pin': dtmf: a secret step takes keys only: a spoken secret would be"
                + " heard by others"), p.toString());
        assertTrue(problems(OK.replace("slot: digits", "slot: yes_no").replace("    min: 4\n    max: 6\n", ""))
                .contains("p.yaml: step 'pin': slot: a secret step takes digits typed on the keypad (slot: digits),"
                        + " not yes_no"));
    }

    @Test
    void aSecretOutsideAWebhookPayloadOrFromNoSecretStepIsRefused() {
        List<String> p = problems(OK.replace("hangup: completed", "hangup: completed\n    say: \"You typed"
                + " ${secret.pin}.\""));
        assertEquals(List.of("p.yaml: step 'bye': say: ${secret.pin} is a secret answer: only a webhook payload"
                + " may use it"), p);
        p = problems(OK.replace("${secret.pin}", "${secret.pim}"));
        assertEquals(List.of("p.yaml: step 'check': payload.pin: ${secret.pim}: no ask step 'pim' with secret: true"),
                p);
    }

    @Test
    void anAcceptedSecretStepRoundTripsAndFillsOnlyThePayload() {
        Dialog d = loader().parse("p.yaml", OK);
        Dialog back = loader().parse("p.yaml", ScriptWriter.toYaml(d));
        assertTrue(((Step.Ask) back.step("pin")).secret());
        DialogRun r = run(d);
        r.start(Map.of());
        List<Action> a = r.onInput(keys("123456"));
        assertEquals(Map.of("pin", "123456"), one(a, Action.Webhook.class).payload());
        assertTrue(r.answers().isEmpty());
        assertEquals("****", r.turns().get(0).transcript());
    }
}
