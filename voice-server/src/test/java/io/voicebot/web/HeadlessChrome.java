package io.voicebot.web;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real headless Chromium driven through chromedriver (Debian packages chromium and chromium-driver, installed by
 * .ci/run), for browser tests of the pages voicebot serves. Screenshots go to target/screenshots/NAME.png, kept as
 * CI artifacts.
 * <pre>
 *   assumeTrue(HeadlessChrome.available());
 *   try (HeadlessChrome chrome = HeadlessChrome.start(1280, 800)) {
 *       chrome.open("http://127.0.0.1:" + port + "/console/");
 *       chrome.screenshot("sign-in");
 *   }
 * </pre>
 */
public final class HeadlessChrome implements AutoCloseable {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private final ChromeDriver driver;
    private int timeouts;

    private HeadlessChrome(ChromeDriver driver) {
        this.driver = driver;
    }

    /** The browser binary: CHROME_BIN, else Debian's /usr/bin/chromium. */
    static Path browser() {
        String env = System.getenv("CHROME_BIN");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
    }

    /** The driver binary: CHROMEDRIVER, else Debian's /usr/bin/chromedriver. */
    static Path chromedriver() {
        String env = System.getenv("CHROMEDRIVER");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromedriver");
    }

    /** True when both Chromium and chromedriver are installed (tests skip otherwise). */
    public static boolean available() {
        return Files.isExecutable(browser()) && Files.isExecutable(chromedriver());
    }

    /** A new headless browser with a window of {@code width} x {@code height} CSS pixels. */
    public static HeadlessChrome start(int width, int height) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(browser().toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--autoplay-policy=no-user-gesture-required",
                "--mute-audio", "--no-first-run", "--disable-extensions", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new HeadlessChrome(d);
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Changes the window size (a narrow screen, say). */
    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Empties the page's session storage (what a new tab would have) and opens {@code url}. */
    public void openFresh(String url) {
        driver.get(url);
        script("sessionStorage.clear()");
        driver.get("about:blank");
        driver.get(url);
    }

    /** Waits up to {@code timeout} for an element matching {@code by} to be displayed. */
    public WebElement await(By by, Duration timeout) {
        return until(timeout, d -> {
            for (WebElement e : d.findElements(by)) {
                if (e.isDisplayed()) {
                    return e;
                }
            }
            return null;
        });
    }

    /** Waits up to {@code timeout} for {@code condition} to hold (non-null, non-false). */
    public <T> T until(Duration timeout, ExpectedCondition<T> condition) {
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                    .ignoring(StaleElementReferenceException.class).until(condition);
        } catch (TimeoutException e) {
            // What the page showed instead, for whoever reads the failure.
            Path shot = screenshot("timeout-" + (++timeouts));
            String text = String.valueOf(script("return document.body.innerText"));
            throw new TimeoutException("waited " + timeout.toSeconds() + " s in vain at " + driver.getCurrentUrl()
                    + " (screenshot " + shot + "); the page said:\n" + text, e);
        }
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    public Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** Saves the page as it looks now to target/screenshots/{@code name}.png and returns the file. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path to = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(shot.toPath());
            return to;
        } catch (IOException e) {
            throw new IllegalStateException("cannot save screenshot " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
