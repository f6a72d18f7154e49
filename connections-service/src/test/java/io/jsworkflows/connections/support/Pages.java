package io.jsworkflows.connections.support;

import org.openqa.selenium.By;

import io.jsworkflows.testsupport.Chromium;

/** Steps on the web page that several browser tests take. */
public final class Pages {

    private Pages() {
    }

    /** Signs in to the page at root with a workspace API key, in a browser without the previous test's cookies. */
    public static void signIn(Chromium browser, String root, String apiKey) {
        browser.driver.get(root + "/ui");
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(root + "/ui");
        browser.driver.findElement(By.id("apiKey")).sendKeys(apiKey);
        browser.driver.findElement(By.id("login")).click();
        browser.waitFor(By.id("add"));
    }
}
