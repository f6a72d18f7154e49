package io.jsworkflows.testsupport;

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

/**
 * A headless Chromium (Debian's {@code /usr/bin/chromium} through {@code /usr/bin/chromedriver}, which {@code ./jsw test}
 * installs when missing) for browser tests across modules. A missing browser fails the test loudly: a browser test
 * skipped for lack of a browser is not a pass.
 */
public final class Chromium implements AutoCloseable {

    public final WebDriver driver;
    private final Path shots;

    private Chromium(WebDriver driver, Path shots) {
        this.driver = driver;
        this.shots = shots;
    }

    /** Starts a browser with a fresh profile under {@code workDir}; screenshots go to {@code workDir/screenshots}. */
    public static Chromium start(Path workDir) throws IOException {
        for (String exe : new String[] {"/usr/bin/chromium", "/usr/bin/chromedriver"}) {
            if (!Files.isExecutable(Path.of(exe))) {
                throw new IllegalStateException(exe + " is missing. Browser tests need Debian's Chromium: "
                        + "apt-get update && apt-get install -y chromium chromium-driver (./jsw test does this as root)");
            }
        }
        Files.createDirectories(workDir);
        Path profile = Files.createTempDirectory(workDir.toAbsolutePath(), "chromium-profile");
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        Path shots = workDir.resolve("screenshots");
        Files.createDirectories(shots);
        return new Chromium(new ChromeDriver(service, o), shots);
    }

    /** The element once it is visible (30 s at most). */
    public WebElement waitFor(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** The element once it is clickable, clicked. */
    public void click(By by) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    public void shot(String name) throws IOException {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), shots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
