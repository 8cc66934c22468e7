package io.voicebot.transfer;

import io.voicebot.config.Settings;
import io.voicebot.sim.AmiQueue;
import io.voicebot.sim.AmiQueueEvents;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import io.voicebot.store.TransferStore;
import io.voicebot.web.HeadlessChrome;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The agent page /agent in a real headless Chromium: it signs in with an agent token, and the screen-pop of a
 * transfer (who, why, summary, the dialog so far) appears while the caller waits, before any agent answers; the
 * agent's answer (AMI AgentConnect) updates it live.
 */
class AgentPageBrowserTest {

    @Test
    void screenPopReachesTheBrowserBeforeTheAgentAnswers() throws Exception {
        assumeTrue(HeadlessChrome.available(), "chromium and chromedriver are not installed");
        try (TestDatabase tdb = TestDatabase.fresh();
             Simulation sim = Simulation.start(Settings.load(null, Map.of()),
                     Path.of(System.getProperty("voicebot.home", "..")), tdb.overrides());
             HeadlessChrome chrome = HeadlessChrome.start(1200, 900)) {
            sim.ami().queue(AmiQueue.of("voicebot-agents", 20, List.of(
                    new AmiQueue.Member("agent-1001", "Local/1001@voicebot-agent", 1, false, false)), List.of()));
            String token = new ApiTokenStore(sim.server().database(), Clock.systemUTC()).create("desk-9", Role.AGENT)
                    .secret();
            chrome.open("http://127.0.0.1:" + sim.server().httpPort() + "/agent");
            chrome.driver().findElement(By.id("token")).sendKeys(token);
            chrome.driver().findElement(By.id("signin-button")).click();
            WebDriverWait wait = new WebDriverWait(chrome.driver(), Duration.ofSeconds(20));
            wait.until(d -> d.findElement(By.id("status")).getText().equals("connected"));

            CompletableFuture<Simulation.CallReport> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return sim.outbound("satisfaction_survey", Map.of("name", "Flo Gray"), "+15550100006",
                            new SimulatedCaller(List.of(new SimulatedCaller.Reply.Keys("1"),
                                    new SimulatedCaller.Reply.Keys("0")), 1200, 60_000), Duration.ofMinutes(2));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Simulation.CallReport r = call.get(3, TimeUnit.MINUTES);
            assertEquals("queue:voicebot-agents", r.agi().dialplanNext(), Simulation.transcript("survey", r));
            // the caller is in the queue and no agent has answered: the page already shows the call
            WebElement card = new WebDriverWait(chrome.driver(), Duration.ofSeconds(20))
                    .until(d -> d.findElement(By.id("call-" + r.id())));
            assertTrue(card.findElement(By.className("who")).getText().startsWith("Flo Gray"), card.getText());
            assertTrue(card.findElement(By.className("who")).getText().contains("*"), "number masked: "
                    + card.getText());
            assertEquals("Reason: caller asked for an agent", card.findElement(By.className("reason")).getText());
            assertTrue(card.findElement(By.className("summary")).getText().contains("satisfaction survey"),
                    card.getText());
            assertEquals("waiting for an agent", card.findElement(By.className("state")).getText());
            wait.until(d -> !card.findElements(By.cssSelector(".turn.robot")).isEmpty());
            chrome.screenshot("agent-screen-pop");

            TransferStore.Transfer t = sim.server().transferStore().forCall(r.call().id()).get(0);
            new AmiQueueEvents(sim.ami()).agentConnect("voicebot-agents", "PJSIP/trunk-1", t.channelUniqueId(),
                    "agent-1001", "Local/1001@voicebot-agent", 4, 2);
            wait.until(d -> card.findElement(By.className("state")).getText().equals("answered by agent-1001"));
            chrome.screenshot("agent-screen-pop-answered");
        }
    }
}
