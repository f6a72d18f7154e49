package io.jsworkflows.connections.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A headless Chromium (Debian's /usr/bin/chromium through /usr/bin/chromedriver) for the web page tests. */
public final class Browser implements AutoCloseable {

    public static final Path SHOTS = Path.of("target", "screenshots");
    public final WebDriver driver;

    private Browser(WebDriver driver) {
        this.driver = driver;
    }

    public static Browser start() throws IOException {
        for (String exe : new String[] {"/usr/bin/chromium", "/usr/bin/chromedriver"}) {
            if (!Files.isExecutable(Path.of(exe))) {
                throw new IllegalStateException(exe + " is missing. The web page tests need Debian's Chromium: "
                        + "apt-get update && apt-get install -y chromium chromium-driver");
            }
        }
        Path profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-profile");
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        Files.createDirectories(SHOTS);
        return new Browser(new ChromeDriver(service, o));
    }

    /** Signs in to the page at root with a workspace API key. */
    public void signIn(String root, String apiKey) {
        driver.get(root + "/ui");
        driver.manage().deleteAllCookies();
        driver.get(root + "/ui");
        driver.findElement(By.id("apiKey")).sendKeys(apiKey);
        driver.findElement(By.id("login")).click();
        waitFor(By.id("add"));
    }

    public WebElement waitFor(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public void shot(String name) throws IOException {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
