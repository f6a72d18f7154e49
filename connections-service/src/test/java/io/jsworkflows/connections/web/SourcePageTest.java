package io.jsworkflows.connections.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.Pages;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.Chromium;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Add Shopify store on the web page, in headless Chromium: form, URL and steps, the list, delete, a bad domain. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class SourcePageTest {

    static Chromium browser;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Chromium.start(Path.of("target"));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void addAShopifyStoreSeeTheUrlAndTheStepsThenDeleteIt() throws IOException {
        Api.Ws ws = Api.newWorkspace();
        String root = base.toString().replaceAll("/$", "");
        String shop = "web-" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com";
        String secret = "shpss_" + UUID.randomUUID().toString().replace("-", "");
        Pages.signIn(browser, root, ws.apiKey());

        browser.driver.findElement(By.id("nav-stores")).click();
        assertThat(browser.waitFor(By.id("no-stores")).getText()).contains("No stores yet");
        browser.driver.findElement(By.id("add-store")).click();
        browser.waitFor(By.id("shopDomain")).sendKeys(shop.toUpperCase());
        browser.driver.findElement(By.id("webhookSecret")).sendKeys(secret);
        browser.shot("5-add-store");
        browser.driver.findElement(By.id("add-store-submit")).click();

        // the result: the URL to paste and the steps for both kinds of webhook
        String url = browser.waitFor(By.id("ingress-url")).getText();
        String id = ws.as().get("/api/v1/sources").then().statusCode(200).extract().path("sources[0].id");
        assertThat(url).isEqualTo("http://localhost:8084/webhooks/shopify/" + id);
        assertThat(browser.driver.findElement(By.id("added-shop")).getText()).isEqualTo(shop);
        assertThat(browser.driver.findElement(By.id("steps-app")).getText()).contains("orders/create").contains("API secret key");
        assertThat(browser.driver.findElement(By.id("steps-manual")).getText())
                .contains("Settings › Notifications › Webhooks").contains("signed with the key shown on that page");
        assertThat(browser.driver.getPageSource()).doesNotContain(secret);
        browser.shot("6-store-added");

        // the list shows it
        browser.driver.findElement(By.id("back-to-stores")).click();
        WebElement row = browser.waitFor(By.cssSelector("tr[data-source='" + id + "']"));
        assertThat(row.findElement(By.className("shop")).getText()).isEqualTo(shop);
        assertThat(row.findElement(By.className("ingress")).getText()).isEqualTo(url);
        assertThat(row.getText()).contains("shopify.orders");
        browser.shot("7-stores");

        // delete, confirmed in the dialog
        row.findElement(By.className("delete")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(browser.waitFor(By.id("notice")).getText()).contains(shop).contains("removed");
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-source='" + id + "']"))).isEmpty();
        ws.as().get("/api/v1/sources/" + id).then().statusCode(404);
    }

    @Test
    void aBadDomainShowsWhatAValidOneLooksLikeAndKeepsNothing() {
        Api.Ws ws = Api.newWorkspace();
        String root = base.toString().replaceAll("/$", "");
        Pages.signIn(browser, root, ws.apiKey());
        browser.driver.get(root + "/ui/sources/new");
        browser.waitFor(By.id("shopDomain")).sendKeys("https://acme.example.com/admin");
        browser.driver.findElement(By.id("webhookSecret")).sendKeys("a-good-long-secret");
        browser.driver.findElement(By.id("add-store-submit")).click();
        assertThat(browser.waitFor(By.id("error")).getText()).contains("is not a shop domain").contains("<name>.myshopify.com");
        // the domain comes back for correction, the secret does not
        assertThat(browser.driver.findElement(By.id("shopDomain")).getAttribute("value")).isEqualTo("https://acme.example.com/admin");
        assertThat(browser.driver.findElement(By.id("webhookSecret")).getAttribute("value")).isEmpty();
        ws.as().get("/api/v1/sources").then().body("sources.size()", org.hamcrest.Matchers.equalTo(0));
    }
}
