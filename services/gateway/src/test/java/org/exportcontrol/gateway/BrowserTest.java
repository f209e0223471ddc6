package org.exportcontrol.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.exportcontrol.api.enforcement.v1.Alert;
import org.exportcontrol.api.licensing.v1.Application;
import org.exportcontrol.platform.testing.RealmTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A provincial officer's day in a real browser (Debian's headless Chromium through its
 * chromedriver): sign in on the real Keycloak login page, review an application, open an alert,
 * see the dashboard charts render, switch to Chinese. Screenshots land in target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(value = BackendServices.class, restrictToAnnotatedClass = false)
class BrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static WebDriver browser;
    static Application application;
    static Alert alert;

    @TestHTTPResource("/")
    URL gateway;

    @BeforeAll
    static void start() throws Exception {
        application = MissionData.submittedJiangxiApplication();
        alert = MissionData.unlicensedJiangxiExport();
        Files.createDirectories(SCREENSHOTS);
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
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** The test's gateway listens on a random port; the realm must accept it as a redirect target. */
    void allowRedirectsToThisGateway() {
        try (Keycloak admin = KeycloakBuilder.builder().serverUrl(RealmTokens.keycloakUrl()).realm(RealmTokens.REALM)
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientId("gateway")
                .clientSecret(System.getenv("EC_GATEWAY_CLIENT_SECRET")).build()) {
            var clients = admin.realm(RealmTokens.REALM).clients();
            var representation = clients.findByClientId("gateway").get(0);
            String origin = gateway.getProtocol() + "://" + gateway.getHost() + ":" + gateway.getPort();
            List<String> redirects = new ArrayList<>(representation.getRedirectUris());
            if (!redirects.contains(origin + "/*")) {
                redirects.add(origin + "/*");
                representation.setRedirectUris(redirects);
                clients.get(representation.getId()).update(representation);
            }
        }
    }

    void signIn(String user) {
        allowRedirectsToThisGateway();
        // a fresh browser session: no gateway session, no Keycloak single sign-on cookie
        ((ChromeDriver) browser).executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
        browser.get(gateway.toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertTrue(browser.getCurrentUrl().startsWith(RealmTokens.keycloakUrl()), "the real Keycloak login page: " + browser.getCurrentUrl());
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(System.getenv("EC_DEMO_USER_PASSWORD"));
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("header.top .user")));
    }

    void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    boolean chartRendered(String canvasId) {
        Object points = ((JavascriptExecutor) browser).executeScript(
                "var c = document.getElementById(arguments[0]); var chart = c && window.Chart && Chart.getChart(c);"
                        + " return chart ? chart.data.datasets[0].data.length : -1;", canvasId);
        return ((Number) points).intValue() > 0;
    }

    @Test
    void aProvincialOfficerReviewsAnApplicationOpensAnAlertAndSeesTheCharts() throws Exception {
        try {
            officersDay();
        } catch (Throwable failure) {
            screenshot("failure");
            Files.writeString(SCREENSHOTS.resolve("failure.html"), browser.getPageSource());
            throw failure;
        }
    }

    void officersDay() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        // the licensing officer of Jiangxi: dashboard, queue, review
        signIn("jx-licensing-officer");
        wait.until(d -> chartRendered("chart-pipeline"));
        screenshot("01-dashboard-licensing-officer");
        browser.get(gateway + "applications?state=APPLICATION_STATE_PROVINCIAL_REVIEW");
        browser.findElement(By.linkText(application.getId())).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("provincial-review")));
        screenshot("02-application-before-review");
        browser.findElement(By.cssSelector("#provincial-review input[value=DECISION_APPROVE]")).click();
        browser.findElement(By.cssSelector("#provincial-review textarea[name=reasons]"))
                .sendKeys("End-user certificate and contract checked against the enterprise's records.");
        browser.findElement(By.cssSelector("#provincial-review button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "National review"));
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("jx-licensing-officer"),
                "the page names the provincial reviewer");
        screenshot("03-application-after-review");

        // the enforcement officer of Jiangxi: alerts, one alert, the alerts chart
        signIn("jx-enforcement-officer");
        wait.until(d -> chartRendered("chart-alerts"));
        screenshot("04-dashboard-enforcement-officer");
        browser.findElement(By.linkText("Alerts")).click();
        browser.findElement(By.linkText(alert.getId())).click();
        assertEquals("UNLICENSED_EXPORT", browser.findElement(By.id("alert-rule")).getText());
        assertTrue(browser.findElement(By.id("evidence")).getText().contains(alert.getSubject().getId()));
        screenshot("05-alert");

        // the same page in Chinese
        browser.findElement(By.cssSelector("a[lang=zh-CN]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "预警"));
        screenshot("06-alert-zh-CN");
    }
}
