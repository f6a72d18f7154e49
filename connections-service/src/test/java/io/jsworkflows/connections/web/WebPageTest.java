package io.jsworkflows.connections.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.Chromium;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The web page as a person uses it, in headless Chromium (Debian's /usr/bin/chromium driven through
 * /usr/bin/chromedriver): log in with the API key, Add Connection with live scopes, Sign in at the HubSpot emulator's
 * consent page, see it ACTIVE, Reconnect (with the rows it holds ticked, or more), Delete. Screenshots go to target/screenshots/.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class WebPageTest {

    static Chromium chromium;
    static WebDriver browser;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = Chromium.start(Path.of("target"));
        browser = chromium.driver;
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void loginAddSignInReconnectAndDelete() throws IOException {
        Api.Ws ws = Api.newWorkspace();
        HubSpotEmulator hubspot = HubSpotEmulator.shared();
        String root = base.toString().replaceAll("/$", "");

        // a wrong key is refused on the page
        browser.get(root + "/ui");
        browser.manage().deleteAllCookies();
        browser.get(root + "/ui");
        browser.findElement(By.id("apiKey")).sendKeys("jsw_wrong");
        browser.findElement(By.id("login")).click();
        assertThat(waitFor(By.id("error")).getText()).contains("unknown or revoked");

        // log in: the key goes into an HttpOnly cookie
        browser.findElement(By.id("apiKey")).sendKeys(ws.apiKey());
        browser.findElement(By.id("login")).click();
        assertThat(waitFor(By.id("empty")).getText()).contains("No connections yet");
        Cookie session = browser.manage().getCookieNamed("jsw_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");

        // Add Connection: ticking rows shows the scopes HubSpot will ask for, live
        browser.findElement(By.id("add")).click();
        assertThat(waitFor(By.id("scopes")).getText()).isEqualTo("oauth");
        checkbox("contacts:read").click();
        checkbox("deals:create").click();
        assertThat(browser.findElement(By.id("scopes")).getText())
                .isEqualTo("crm.objects.contacts.read crm.objects.deals.read crm.objects.deals.write oauth");
        assertThat(browser.findElement(By.id("handle-rule")).getText()).contains("lowercase letters").contains("unique");
        browser.findElement(By.id("handle")).sendKeys("web-crm");
        assertThat(browser.findElement(By.id("handle-echo")).getText()).isEqualTo("web-crm");
        shot("1-add-connection");

        // Sign in → HubSpot's consent page (the emulator) → Grant → back to the result view
        browser.findElement(By.id("signin")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains(hubspot.baseUrl().replace("http://", "")));
        shot("2-hubspot-consent");
        browser.findElement(By.id("grant")).click();
        assertThat(waitFor(By.id("result-status")).getText()).isEqualTo("ACTIVE");
        assertThat(browser.findElement(By.id("result-hub")).getText()).isEqualTo("jsw-demo.hubspot.com");
        String id = ws.as().get("/api/v1/connections/web-crm").then().statusCode(200).extract().path("id");

        // the list shows status, account, scopes and last refresh
        browser.findElement(By.id("back")).click();
        WebElement row = waitFor(By.cssSelector("tr[data-handle='web-crm']"));
        assertThat(row.findElement(By.className("status")).getText()).isEqualTo("ACTIVE");
        assertThat(row.findElement(By.className("hub")).getText()).isEqualTo("jsw-demo.hubspot.com");
        assertThat(row.findElement(By.className("scopes")).getText()).contains("crm.objects.deals.write");
        assertThat(row.findElement(By.className("refreshed")).getText()).endsWith("UTC");
        shot("3-connections");

        // Reconnect: same connection, a new grant (the page offers the rows it holds, ticked)
        row.findElement(By.className("reconnect")).click();
        waitFor(By.id("reconnect-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.elementToBeClickable(By.id("grant"))).click();
        assertThat(waitFor(By.id("result-status")).getText()).isEqualTo("ACTIVE");
        ws.as().get("/api/v1/connections/web-crm").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(id)).body("grantVersion", org.hamcrest.Matchers.equalTo(2));

        // Delete (confirmed in the dialog): revoked at HubSpot, gone from the list
        long revocations = hubspot.requestCount("DELETE", "/oauth/v1/refresh-tokens/", 204);
        browser.findElement(By.id("back")).click();
        waitFor(By.cssSelector("tr[data-handle='web-crm'] .delete")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(waitFor(By.id("notice")).getText()).contains("'web-crm' was deleted");
        assertThat(browser.findElements(By.cssSelector("tr[data-handle='web-crm']"))).isEmpty();
        assertThat(hubspot.requestCount("DELETE", "/oauth/v1/refresh-tokens/", 204)).isEqualTo(revocations + 1);
        ws.as().get("/api/v1/connections/web-crm").then().statusCode(404);
        shot("4-deleted");
    }

    @Test
    void reconnectOffersTheHeldRowsTickedAndGrantsTheRowsTickedThere() throws IOException {
        Api.Ws ws = Api.newWorkspace();
        Api.Ws other = Api.newWorkspace();
        HubSpotEmulator hubspot = HubSpotEmulator.shared();
        String root = base.toString().replaceAll("/$", "");
        other.as().contentType(io.restassured.http.ContentType.JSON).body(Api.connectBody("theirs", "deals:read"))
                .post("/api/v1/connections").then().statusCode(201);
        String link = ws.as().contentType(io.restassured.http.ContentType.JSON)
                .body(Api.connectBody("crm-contacts", "contacts:read", "contacts:create"))
                .post("/api/v1/connections").then().statusCode(201).extract().path("authorizeUrl");
        browser.get(root + "/ui");
        browser.manage().deleteAllCookies();
        browser.get(root + "/ui");
        browser.findElement(By.id("apiKey")).sendKeys(ws.apiKey());
        browser.findElement(By.id("login")).click();
        waitFor(By.id("add"));
        browser.get(link);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.elementToBeClickable(By.id("grant"))).click();
        assertThat(waitFor(By.id("result-status")).getText()).isEqualTo("ACTIVE");

        // another workspace's handle: not found, as anywhere else
        browser.get(root + "/ui/connections/theirs/reconnect");
        assertThat(waitFor(By.id("notice")).getText()).contains("no connection with handle 'theirs'");
        assertThat(browser.findElements(By.id("reconnect-submit"))).isEmpty();

        // Reconnect from the list: the rows whose scopes it holds are ticked (every contacts row needs only contacts
        // scopes), deals rows are not
        browser.get(root + "/ui");
        waitFor(By.cssSelector("tr[data-handle='crm-contacts'] .reconnect")).click();
        waitFor(By.id("reconnect-submit"));
        assertThat(browser.findElements(By.cssSelector("input[name=resource]:checked")).stream().map(b -> b.getDomAttribute("id")))
                .containsExactly("row-contacts-read", "row-contacts-create", "row-contacts-update", "row-contacts-delete");
        assertThat(browser.findElement(By.id("row-deals-create")).isSelected()).isFalse();
        assertThat(browser.findElement(By.id("scopes")).getText()).isEqualTo("crm.objects.contacts.read crm.objects.contacts.write oauth");

        // nothing ticked: the page again, with why
        browser.findElements(By.cssSelector("input[name=resource]:checked")).forEach(WebElement::click);
        assertThat(browser.findElement(By.id("scopes")).getText()).isEqualTo("oauth");
        browser.findElement(By.id("reconnect-submit")).click();
        assertThat(waitFor(By.id("error")).getText()).contains("Tick at least one row");
        assertThat(browser.findElements(By.cssSelector("input[name=resource]:checked"))).isEmpty();

        // tick Contacts/Read, Contacts/Create and Deals/Create → HubSpot's consent page → back at the platform
        browser.findElement(By.id("row-contacts-read")).click();
        browser.findElement(By.id("row-contacts-create")).click();
        browser.findElement(By.id("row-deals-create")).click();
        assertThat(browser.findElement(By.id("scopes")).getText()).contains("crm.objects.deals.write");
        shot("5-reconnect");
        browser.findElement(By.id("reconnect-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains(hubspot.baseUrl().replace("http://", "")));
        browser.findElement(By.id("grant")).click();
        assertThat(waitFor(By.id("result-status")).getText()).isEqualTo("ACTIVE");
        ws.as().get("/api/v1/connections/crm-contacts").then().statusCode(200)
                .body("grantVersion", org.hamcrest.Matchers.equalTo(2))
                .body("scopes", org.hamcrest.Matchers.hasItems("crm.objects.contacts.write", "crm.objects.deals.write"));
    }

    @Test
    void aConnectLinkFromTheApiAsksForTheSignInThenGoesToHubSpot() {
        Api.Ws ws = Api.newWorkspace();
        String root = base.toString().replaceAll("/$", "");
        String link = ws.as().contentType(io.restassured.http.ContentType.JSON).body(Api.connectBody("api-link", "contacts:read"))
                .post("/api/v1/connections").then().statusCode(201).extract().path("authorizeUrl");
        browser.get(root + "/ui");
        browser.manage().deleteAllCookies();
        browser.get(link);
        assertThat(waitFor(By.id("signin-to-connect")).getText()).contains("continue connecting HubSpot");
        browser.findElement(By.id("apiKey")).sendKeys(ws.apiKey());
        browser.findElement(By.id("login")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.elementToBeClickable(By.id("grant"))).click();
        assertThat(waitFor(By.id("result-status")).getText()).isEqualTo("ACTIVE");
        ws.as().get("/api/v1/connections/api-link").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("ACTIVE"));
    }

    @Test
    void formErrorsAreShownWithTheRule() {
        Api.Ws ws = Api.newWorkspace();
        String root = base.toString().replaceAll("/$", "");
        browser.get(root + "/ui");
        browser.manage().deleteAllCookies();
        browser.get(root + "/ui");
        browser.findElement(By.id("apiKey")).sendKeys(ws.apiKey());
        browser.findElement(By.id("login")).click();
        waitFor(By.id("add")).click();
        // the browser enforces the pattern too; remove it to see the server's own check
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "document.getElementById('handle').removeAttribute('pattern');");
        browser.findElement(By.id("handle")).sendKeys("Not Valid");
        checkbox("contacts:read").click();
        browser.findElement(By.id("signin")).click();
        assertThat(waitFor(By.id("error")).getText()).contains("'Not Valid' is not allowed").contains("lowercase letters");
        // the selection survives the round trip
        assertThat(checkbox("contacts:read").isSelected()).isTrue();
        assertThat(List.of(browser.findElement(By.id("scopes")).getText())).containsExactly("crm.objects.contacts.read oauth");
    }

    private WebElement checkbox(String value) {
        return browser.findElement(By.cssSelector("input[name=resource][value='" + value + "']"));
    }

    private WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void shot(String name) throws IOException {
        chromium.shot(name);
    }
}
