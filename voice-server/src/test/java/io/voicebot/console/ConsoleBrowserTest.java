package io.voicebot.console;

import io.voicebot.campaign.lists.InterruptedImports;
import io.voicebot.config.Settings;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import io.voicebot.web.HeadlessChrome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web console in a real headless Chromium against a real server and the in-process Asterisk: sign in, upload a
 * call list with bad rows and see them, upload a questionnaire (a bad one first), run a test call and read its
 * transcript, create and start a campaign and watch it complete, open one of its calls and play the recording;
 * then what an agent sees, the admin pages and a narrow screen. Each page is saved to target/screenshots.
 * The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final String DIALOG = """
            name: console_check
            description: a short recorded call for the console tests
            record: true
            steps:
              - id: disclosure
                say: "Hello, this is Example Bank. This call is recorded."
                non_interruptible: true
                next: identity
              - id: identity
                ask: "Am I speaking with ${name}? Press one for yes, two for no."
                slot: yes_no
                key: identity_confirmed
                on: {"yes": bye, "no": wrong}
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
              - id: wrong
                hangup: wrong_person
                say: "Sorry for the trouble. Goodbye."
            """;
    private static final String BUSY = "+12025550177";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestDatabase tdb;
    private static Simulation sim;
    private static HeadlessChrome chrome;
    private static Path dir;
    private static String base;
    private static String operator;
    private static String agent;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(HeadlessChrome.available(), "chromium and chromedriver are not installed");
        tdb = TestDatabase.fresh();
        dir = Files.createTempDirectory("console-test");
        Files.createDirectories(dir.resolve("dialogs"));
        Files.writeString(dir.resolve("dialogs/console_check.yaml"), DIALOG);
        Files.writeString(dir.resolve("compliance.yaml"), """
                default: {weekdays: "00:00-24:00", saturday: "00:00-24:00", sunday: "00:00-24:00"}
                caps: {per_day: 5, per_week: 10, per_month: 20}
                """);
        Map<String, String> o = new HashMap<>(tdb.overrides());
        o.put("dialogs.dir", dir.resolve("dialogs").toString());
        o.put("campaign.compliance.file", dir.resolve("compliance.yaml").toString());
        o.put("campaign.tick.ms", "200");
        o.put("campaign.originate.timeout.ms", "5000");
        sim = Simulation.start(Settings.load(null, Map.of()), Path.of("..").toAbsolutePath().normalize(), o);
        ApiTokenStore tokens = new ApiTokenStore(sim.server().database(), Clock.systemUTC());
        operator = tokens.create("Olga Operator", Role.OPERATOR).secret();
        agent = tokens.create("Andy Agent", Role.AGENT).secret();
        admin = tokens.create("Ada Admin", Role.ADMIN).secret();
        sim.ami().script(BUSY, AmiPeer.Outcome.BUSY, Duration.ofMillis(200));
        // silent through the recording notice, then "1" for yes
        sim.answerWith(oc -> new SimulatedCaller(List.of(new SimulatedCaller.Reply.Silence(),
                new SimulatedCaller.Reply.Keys("1")), 1500, 30_000));
        base = "http://127.0.0.1:" + sim.server().httpPort() + "/console/";
        chrome = HeadlessChrome.start(1280, 800);
    }

    @AfterAll
    static void stop() {
        if (chrome != null) {
            chrome.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    private static WebElement shown(String css) {
        return chrome.await(By.cssSelector(css), WAIT);
    }

    private static void waitText(String css, String text, Duration timeout) {
        chrome.until(timeout, d -> d.findElements(By.cssSelector(css)).stream()
                .anyMatch(e -> e.getText().contains(text)));
    }

    private static void go(String page) {
        chrome.open(base + "#/" + page);
    }

    private static void signIn(String token) {
        chrome.openFresh(base);
        shown("#token").sendKeys(token);
        chrome.driver().findElement(By.cssSelector("#signin button")).click();
        shown("#dashboard-live .stat");
    }

    private static String text(String css) {
        return chrome.driver().findElement(By.cssSelector(css)).getText();
    }

    @Test
    @Order(1)
    void signInRefusesABadTokenThenShowsTheLiveDashboard() {
        chrome.open(base);
        shown("#token").sendKeys("not-a-token");
        chrome.driver().findElement(By.cssSelector("#signin button")).click();
        waitText("#signin-error", "not valid", WAIT);
        chrome.screenshot("01-sign-in");
        shown("#token").sendKeys(operator);
        chrome.driver().findElement(By.cssSelector("#signin button")).click();
        shown("#dashboard-live .stat");
        waitText("#stat-database", "up", WAIT);
        waitText("#stat-ami", "up", WAIT);
        assertEquals("0", text("#stat-in-progress"));
        assertTrue(text("#who").contains("Olga Operator (operator)"), text("#who"));
        assertFalse(chrome.driver().findElement(By.cssSelector("#nav a[data-page=tokens]")).isDisplayed(),
                "operators see no token page");
        chrome.screenshot("02-dashboard");
    }

    @Test
    @Order(2)
    void uploadingAListShowsEachRejectedRowAndTheContacts() throws Exception {
        Path csv = dir.resolve("reminders.csv");
        Files.writeString(csv, """
                phone,name,timezone
                (202) 555-0101,Ann Lee,America/New_York
                202-555-0102,Bob Ray,America/New_York
                555-01,Bo Chan,America/New_York
                202 555 0177,Cy Busy,America/New_York
                ,No Phone,America/New_York
                """);
        go("lists");
        WebElement form = shown("#list-upload");
        form.findElement(By.name("name")).sendKeys("December reminders");
        form.findElement(By.name("region")).sendKeys("US");
        new Select(form.findElement(By.name("dialog"))).selectByVisibleText("console_check");
        form.findElement(By.name("file")).sendKeys(csv.toString());
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitText("#list-upload-summary", "5 rows read: 3 imported, 2 rejected", WAIT);
        String rejected = text("#list-upload-result table");
        assertTrue(rejected.contains("4") && rejected.contains("6"), "lines 4 and 6 are named: " + rejected);
        assertTrue(rejected.toLowerCase().contains("phone"), rejected);
        chrome.screenshot("03-list-upload");
        waitText("#lists", "December reminders", WAIT);
        chrome.driver().findElements(By.cssSelector("#lists tbody tr")).get(0).click();
        waitText("#list-contacts", "+12025550101", WAIT);
        assertTrue(text("#list-contacts").contains("Ann Lee"));
        assertTrue(text("#list-rejections").contains("4"));
        chrome.screenshot("04-list-contacts");
    }

    @Test
    @Order(3)
    void aBadQuestionnaireIsRefusedAtItsLineAndAGoodOneShowsTheCompiledDialog() throws Exception {
        go("dialogs");
        WebElement form = shown("#questionnaire-upload");
        Path bad = dir.resolve("survey.csv");
        Files.writeString(bad, """
                question,type,choices,required,key
                Was your problem solved?,yes_no,,yes,solved
                How would you rate us?,ratng,,yes,score
                """);
        form.findElement(By.name("name")).sendKeys("branch_survey");
        form.findElement(By.name("file")).sendKeys(bad.toString());
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitText("#questionnaire-result", "line 3", WAIT);
        assertTrue(text("#questionnaire-result").contains("type"), text("#questionnaire-result"));
        chrome.screenshot("05-questionnaire-refused");
        Files.writeString(bad, """
                question,type,choices,required,key
                Was your problem solved?,yes_no,,yes,solved
                "How would you rate us, from one to five?",rating,,yes,score
                """);
        form.findElement(By.name("file")).sendKeys(bad.toString());
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitText("#questionnaire-result", "saved as dialog \"branch_survey\"", WAIT);
        assertTrue(text("#compiled-dialog").contains("Was your problem solved?"), text("#compiled-dialog"));
        waitText("#dialogs", "branch_survey", WAIT);
        chrome.screenshot("06-questionnaire-compiled");
    }

    @Test
    @Order(4)
    void aTestCallShowsItsTranscript() {
        go("dialogs");
        WebElement form = shown("#test-call");
        new Select(form.findElement(By.name("dialog"))).selectByVisibleText("console_check");
        // silent through the recording notice, then "1" for yes
        form.findElement(By.name("replies")).sendKeys("\n#1");
        form.findElement(By.name("vars")).sendKeys("name=Ann Lee");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitText("#test-call-status", "The call ended: completed", Duration.ofSeconds(90));
        String transcript = text("#test-call-result .transcript");
        assertTrue(transcript.contains("Am I speaking with Ann Lee?"), transcript);
        assertTrue(transcript.contains("pressed 1"), transcript);
        assertTrue(transcript.contains("identity confirmed"), transcript);
        chrome.screenshot("07-test-call");
    }

    @Test
    @Order(5)
    void aCampaignCreatedAndStartedInTheConsoleRunsToCompletion() {
        go("campaigns");
        WebElement form = shown("#campaign-create");
        form.findElement(By.name("name")).sendKeys("Console reminders");
        new Select(form.findElement(By.name("dialog"))).selectByVisibleText("console_check");
        form.findElement(By.cssSelector("input[name=lists]")).click();
        chrome.script("arguments[0].value='00:00'; arguments[1].value='23:59';",
                form.findElement(By.name("start")), form.findElement(By.name("end")));
        for (WebElement day : form.findElements(By.cssSelector("input[name=days]"))) {
            if (!day.isSelected()) {
                day.click();
            }
        }
        WebElement attempts = form.findElement(By.name("attempts"));
        attempts.clear();
        attempts.sendKeys("1");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        shown("#campaign-start").click();
        waitText("#campaign-state", "running", WAIT);
        chrome.screenshot("08-campaign-running");
        waitText("#campaign-progress-text", "3 of 3 contacts finished", Duration.ofSeconds(90));
        waitText("#campaign-funnel", "completed", WAIT);
        String outcomes = text("#campaign-outcomes");
        assertTrue(outcomes.contains("completed") && outcomes.contains("busy"), outcomes);
        waitText("#campaign-answers", "identity confirmed", WAIT);
        chrome.screenshot("09-campaign-results");

        // Export: the CSV the button hands to the browser's download, read back from the page.
        chrome.script("const make = URL.createObjectURL; window.exported = null;"
                + "URL.createObjectURL = b => { if (b.type.includes('csv')) window.exported = b; return make(b); };");
        shown("#campaign-export").click();
        chrome.until(WAIT, d -> chrome.script("return window.exported !== null").equals(Boolean.TRUE));
        String csv = (String) chrome.asyncScript("window.exported.text().then(arguments[arguments.length - 1])");
        List<String> lines = csv.lines().toList();
        assertEquals(4, lines.size(), csv);
        assertTrue(lines.get(0).contains("phone") && lines.get(0).contains("answer.identity_confirmed"), csv);
        assertTrue(csv.contains("+12025550177") && csv.contains("busy"), csv);
    }

    @Test
    @Order(6)
    void aCallOfTheCampaignShowsGateAmdTranscriptAndPlaysItsRecording() {
        go("calls");
        WebElement form = shown("#call-search");
        new Select(form.findElement(By.name("campaign"))).selectByVisibleText("Console reminders");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        chrome.until(WAIT, d -> d.findElements(By.cssSelector("#call-results tbody tr")).size() == 2);
        chrome.screenshot("10-calls");
        chrome.driver().findElements(By.cssSelector("#call-results tbody tr")).get(0).click();
        shown("#call-summary");
        assertTrue(text("#call-summary").contains("completed"), text("#call-summary"));
        assertTrue(text("#call-gate").contains("allowed to dial"), text("#call-gate"));
        assertTrue(text("#call-amd").startsWith("Answering machine check:"), text("#call-amd"));
        assertTrue(text(".transcript").contains("pressed 1"), text(".transcript"));
        shown("#load-recording").click();
        WebElement audio = shown("#recording-player");
        Object played = chrome.asyncScript("""
                const a = arguments[0], done = arguments[arguments.length - 1];
                const t0 = Date.now();
                a.play().then(() => {
                  const check = () => a.currentTime > 0.3 ? done({ duration: a.duration, at: a.currentTime })
                    : Date.now() - t0 > 10000 ? done({ error: 'did not advance', at: a.currentTime })
                    : setTimeout(check, 100);
                  check();
                }, e => done({ error: String(e) }));
                """, audio);
        assertTrue(played instanceof Map<?, ?> m && m.get("error") == null
                && ((Number) m.get("duration")).doubleValue() > 1, "recording played: " + played);
        chrome.screenshot("11-call-detail");
    }

    @Test
    @Order(7)
    void anAgentSeesNoOperatorActions() {
        signIn(agent);
        assertTrue(text("#who").contains("(agent)"));
        go("campaigns");
        shown("#campaigns tbody tr").click();
        shown("#campaign-progress");
        assertTrue(chrome.driver().findElements(By.cssSelector("#campaign-start, #campaign-pause, #campaign-stop, "
                + "#campaign-export")).isEmpty(), "an agent has no campaign buttons");
        chrome.screenshot("12-agent-campaign");
        go("lists");
        shown("#lists");
        assertTrue(chrome.driver().findElements(By.id("list-upload")).isEmpty());
        go("dialogs");
        shown("#dialogs");
        assertTrue(chrome.driver().findElements(By.id("test-call")).isEmpty());
        assertTrue(chrome.driver().findElements(By.id("questionnaire-upload")).isEmpty());
        go("tasks");
        shown("#tasks");
        chrome.screenshot("13-tasks");
        go("qa");
        shown("#qa-flags");
        chrome.screenshot("14-qa");
    }

    @Test
    @Order(8)
    void anAdminManagesTokensAndReadsTheAuditLog() {
        signIn(admin);
        go("tokens");
        WebElement form = shown("#token-create");
        form.findElement(By.name("name")).sendKeys("CRM import");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitText("#token-created", "Copy it now", WAIT);
        assertFalse(text("#new-token").isBlank());
        waitText("#tokens", "CRM import", WAIT);
        chrome.screenshot("15-tokens");
        go("audit");
        waitText("#audit", "started a campaign", WAIT);
        assertTrue(text("#audit").contains("Console reminders"), text("#audit"));
        assertTrue(text("#audit").contains("Olga Operator"), text("#audit"));
        chrome.screenshot("16-audit");
        go("dnc");
        WebElement dnc = shown("#dnc-add");
        dnc.findElement(By.name("phone")).sendKeys("(202) 555-0199");
        dnc.findElement(By.name("reason")).sendKeys("asked on the phone");
        dnc.findElement(By.cssSelector("button[type=submit]")).click();
        waitText("#dnc-list", "+12025550199", WAIT);
        chrome.screenshot("17-do-not-call");
    }

    @Test
    @Order(9)
    void aNarrowScreenShowsTheMenuButtonAndTheDashboard() {
        chrome.resize(390, 800);
        try {
            go("dashboard");
            shown("#dashboard-live .stat");
            WebElement menu = shown("#menu");
            assertFalse(chrome.driver().findElement(By.id("nav")).isDisplayed(), "the menu is folded away");
            menu.click();
            shown("#nav a[data-page=calls]");
            Number scroll = (Number) chrome.script("return document.documentElement.scrollWidth");
            assertTrue(scroll.intValue() <= 400, "no sideways scrolling: " + scroll);
            chrome.screenshot("18-narrow");
        } finally {
            chrome.resize(1280, 800);
        }
    }
    @Test
    @Order(10)
    void aListWhoseImportFailedShowsItsStateAndErrorAndItsCampaignSaysItIsNotCalled() {
        ListStore lists = sim.server().listStore();
        long list = lists.startImport(new ListStore.ListSpec("November arrears", "US", null, List.of(), "UTF-8"));
        lists.addBatch(list, new ListStore.Batch(2, List.of(
                new ListStore.NewContact(2, "+12025550181", "Nia Ford", Map.of(), "America/New_York", "US"),
                new ListStore.NewContact(3, "+12025550182", "Ole Berg", Map.of(), "America/New_York", "US")),
                List.of(), 0, 0));
        long campaign = sim.server().campaigns().create(new CampaignStore.CampaignSpec("November calls",
                "console_check", list, LocalTime.MIN, LocalTime.of(23, 59), EnumSet.allOf(DayOfWeek.class), 1,
                Duration.ofMinutes(10), 2)).id();
        sim.server().campaigns().start(campaign);
        // the server restarted mid-import: its start-up repair fails the list, keeping the two rows
        assertEquals(1, InterruptedImports.failLeftBehind(lists, "console-node"));

        signIn(operator);
        go("lists");
        waitText("#lists", "November arrears", WAIT);
        WebElement row = chrome.driver().findElements(By.cssSelector("#lists tbody tr")).stream()
                .filter(r -> r.getText().contains("November arrears")).findFirst().orElseThrow();
        assertTrue(row.getText().contains("failed"), "the overview shows the state: " + row.getText());
        row.click();
        waitText("#list-state", "failed: import interrupted by a restart of node console-node: 2 of the 2 rows "
                + "read had been imported and are kept; the rest of the file was not read", WAIT);
        assertTrue(shown("#list-state").getAttribute("class").contains("error"), "shown as an error");
        waitText("#list-contacts", "+12025550181", WAIT);
        assertTrue(text("#list-contacts").contains("Ole Berg"), "the kept rows are listed");
        chrome.screenshot("19-list-failed");

        go("campaigns/" + campaign);
        waitText("#campaign-lists", "November arrears failed to import; its contacts are not called: import "
                + "interrupted by a restart", WAIT);
        waitText("#campaign-state", "completed", WAIT);
        assertTrue(text("#campaign-progress-text").contains("0 calls placed"), text("#campaign-progress-text"));
        assertEquals(0, sim.ami().received("Originate").stream()
                .filter(m -> m.get("Channel").contains("/+1202555018")).count(), "nobody on the list was called");
        chrome.screenshot("20-campaign-list-failed");
    }
}
