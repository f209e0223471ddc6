package org.exportcontrol.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.exportcontrol.platform.testing.RealmTokens;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser: Debian's headless Chromium through its chromedriver (never a
 * downloaded browser), set up as the gateway's BrowserTest does, signing in on the real Keycloak
 * login page of the gateway on 127.0.0.1:8080 (a redirect target the realm allows). Screenshots
 * land in target/screenshots; on a failure the caller's step keeps the page's source there too.
 */
final class MinistryBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private final ChromeDriver browser;
    private final WebDriverWait wait;

    MinistryBrowser() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.deleteIfExists(SCREENSHOTS.resolve("failure.png"));
        Files.deleteIfExists(SCREENSHOTS.resolve("failure.html"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=en-US",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1366, 768));
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    void signIn(String user) {
        // a fresh browser session: no gateway session, no Keycloak single sign-on cookie
        browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        browser.get(Platform.GATEWAY + "/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertTrue(browser.getCurrentUrl().startsWith(RealmTokens.keycloakUrl()), "the real Keycloak login page: " + browser.getCurrentUrl());
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(System.getenv("EC_DEMO_USER_PASSWORD"));
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("header.top .user")));
        assertTrue(browser.getCurrentUrl().startsWith(Platform.GATEWAY), "back on the gateway: " + browser.getCurrentUrl());
    }

    void open(String path) {
        browser.get(Platform.GATEWAY + path);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("main")));
    }

    String mainText() {
        return browser.findElement(By.tagName("main")).getText();
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** Waits until Chart.js has drawn the chart with data points. */
    void waitForChart(String canvasId) {
        wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                "var c = document.getElementById(arguments[0]); var chart = c && window.Chart && Chart.getChart(c);"
                        + " return chart ? chart.data.datasets[0].data.length : -1;", canvasId)).intValue() > 0);
    }

    /** The value the drawn chart shows for the first label containing {@code label}, or -1. */
    double chartValue(String canvasId, String label) {
        Object value = browser.executeScript(
                "var chart = Chart.getChart(document.getElementById(arguments[0])); var wanted = arguments[1];"
                        + " var i = chart.data.labels.findIndex(function (l) { return String(l).indexOf(wanted) >= 0; });"
                        + " return i < 0 ? -1 : Number(chart.data.datasets[0].data[i]);", canvasId, label);
        return ((Number) value).doubleValue();
    }

    void screenshot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    void keepFailure(String name) {
        try {
            screenshot(name);
            Files.writeString(SCREENSHOTS.resolve(name + ".html"), browser.getPageSource());
        } catch (Exception e) {
            System.err.println("[e2e] could not keep the failing page: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        browser.quit();
    }
}
