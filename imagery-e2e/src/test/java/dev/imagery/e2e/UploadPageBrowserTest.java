package dev.imagery.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Dimension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.imagery.local.child.ChildClasses;
import dev.imagery.local.emulator.LocalPorts;
import dev.imagery.test.corpus.Corpus;

/**
 * The upload page in headless Chromium against the whole running system: what a person sees, end to end.
 * Screenshots land in {@code imagery-e2e/target/screenshots/}.
 */
class UploadPageBrowserTest {

    private static final String PHOTO = "photos/small_1.3MP_GreenMeadow_progressive.jpg";
    private static final Duration PROCESSING = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path temp;

    private static RunningImagery imagery;
    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        String missing = HeadlessChromium.missing();
        if (missing != null) {
            System.out.println(missing);
            return; // each test is then reported as skipped, with the reason
        }
        imagery = RunningImagery.get();
        browser = HeadlessChromium.start(Files.createDirectories(temp.resolve("profile")));
        Files.createDirectories(SCREENSHOTS);
    }

    @BeforeEach
    void requireBrowser() {
        Assumptions.assumeTrue(browser != null, HeadlessChromium::missing);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) browser.quit();
    }

    @Test
    void uploadsAPhotoAndShowsItInSepia() throws IOException {
        Path photo = corpus(PHOTO);
        open("");

        click("create-button");
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("upload")), Duration.ofSeconds(10));
        browser.findElement(By.id("file-input")).sendKeys(photo.toString());
        waitUntil(ExpectedConditions.elementToBeClickable(By.id("upload-button")), Duration.ofSeconds(5));
        assertThat(text("file-name")).startsWith(photo.getFileName().toString());
        screenshot("upload-page-file-chosen.png");
        click("upload-button");

        waitUntil(ExpectedConditions.urlContains("#view="), PROCESSING);
        waitUntil(d -> isLoaded("processed-image"), PROCESSING);
        screenshot("upload-page-processed.png");

        assertThat(browser.findElements(By.cssSelector("#steps li.done"))).hasSize(3);
        assertThat(text("status")).contains("ready");
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        Dimension expected = dimensions(photo);
        assertThat(naturalSize("processed-image")).isEqualTo(expected);
        assertThat(browser.findElement(By.id("processed-link")).getAttribute("href")).startsWith("http");
        // A JPEG original renders in every browser.
        waitUntil(d -> isLoaded("original-image"), Duration.ofSeconds(10));
        String id = browser.getCurrentUrl().replaceFirst(".*#view=", "");
        assertThat(text("image-id")).isEqualTo(id);
    }

    @Test
    void showsAProcessOpenedByItsLink() throws Exception {
        Path photo = corpus(PHOTO);
        String id = createAndUploadOverHttp(photo);

        open("#view=" + id);

        waitUntil(d -> isLoaded("processed-image"), PROCESSING);
        assertThat(text("image-id")).isEqualTo(id);
        assertThat(naturalSize("processed-image")).isEqualTo(dimensions(photo));
        screenshot("upload-page-opened-by-link.png");
    }

    @Test
    void showsTheSepiaPngOfATiffTheBrowserCannotDisplay() throws Exception {
        Path tiff = corpus("edge/tiff_uncompressed.tiff");
        String id = createAndUploadOverHttp(tiff);

        open("#view=" + id);

        waitUntil(d -> isLoaded("processed-image"), PROCESSING);
        assertThat(naturalSize("processed-image")).isEqualTo(dimensions(tiff));
        // Chromium renders no TIFF: the original's place offers the download instead of a broken image.
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("original-fallback")), Duration.ofSeconds(10));
        assertThat(browser.findElement(By.id("original-image")).isDisplayed()).isFalse();
        screenshot("upload-page-tiff.png");
    }

    @Test
    void explainsAnUnknownId() {
        open("#view=" + UUID.randomUUID());

        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("error")), Duration.ofSeconds(15));
        assertThat(text("error-message")).contains("no image with this id");
    }

    @Test
    void explainsAFileThatIsNotAnImage() throws IOException {
        Path notes = Files.writeString(temp.resolve("notes.txt"), "These are words, not pixels.\n".repeat(50));
        open("");

        click("create-button");
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("upload")), Duration.ofSeconds(10));
        browser.findElement(By.id("file-input")).sendKeys(notes.toString());
        waitUntil(ExpectedConditions.elementToBeClickable(By.id("upload-button")), Duration.ofSeconds(5));
        click("upload-button");

        // Refused at upload or failed by the worker: either way the page says so in words, never "processed".
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("error")), PROCESSING);
        screenshot("upload-page-not-an-image.png");
        String words = text("error");
        System.out.println("[e2e] a text file was answered with: " + words);
        assertThat(words).isNotBlank().doesNotContainIgnoringCase("undefined").doesNotContain("[object");
        assertThat(browser.findElements(By.cssSelector("#steps li.done"))).hasSizeLessThan(3);
    }

    @Test
    void explainsAFileOverTheLimit() throws IOException {
        assertRefusedBeforeSending(imagery.baseUrl(), 50L * 1024 * 1024, "50 MB");
    }

    @Test
    void checksTheLimitTheApiWasStartedWith() throws IOException {
        Assumptions.assumeTrue(imagery.workDir() != null, "needs the launcher's imagery-local.env, not -Dimagery.e2e.baseUrl");
        // A second API on the same AWS servers (it reads imagery-local.env in the launcher's directory), limited to
        // 1 MB; the agent ends it with this JVM.
        int port = LocalPorts.allocate(1).get(0);
        ServiceJar api = new ServiceJar("api-1mb", ServiceJar.built("imagery-api"), port, imagery.workDir(),
                List.of("-javaagent:" + ChildClasses.jarIn(imagery.workDir())), Map.of(),
                List.of("--server.port=" + port, "--server.address=127.0.0.1", "--IMAGERY_MAX_UPLOAD_SIZE=1MB"));
        try {
            api.start().awaitReady(Duration.ofSeconds(180));
            assertRefusedBeforeSending(api.baseUrl(), 1024 * 1024, "1 MB");
        } finally {
            api.terminate(Duration.ofSeconds(30));
        }
    }

    /** The page at {@code page} names the limit and refuses a file one byte over it as soon as it is chosen. */
    private static void assertRefusedBeforeSending(URI page, long limit, String limitText) throws IOException {
        Path big = temp.resolve("over-" + limit + ".jpg");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(limit + 1); // sparse: costs no disk
        }
        open(page, "");

        click("create-button");
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("upload")), Duration.ofSeconds(10));
        assertThat(text("file-hint")).endsWith("up to " + limitText + ".");
        browser.findElement(By.id("file-input")).sendKeys(big.toString());

        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("error")), Duration.ofSeconds(5));
        assertThat(text("error-message")).isEqualTo("The file is larger than the " + limitText + " limit.");
        assertThat(browser.findElement(By.id("upload-button")).isEnabled()).isFalse();
    }

    // ------------------------------------------------------------------ page helpers

    private static void open(String fragmentOrPath) {
        open(imagery.baseUrl(), fragmentOrPath);
    }

    private static void open(URI base, String fragmentOrPath) {
        browser.get("about:blank"); // a fresh document even when only the #fragment differs
        browser.get(base + fragmentOrPath);
    }

    private static void click(String id) {
        browser.findElement(By.id(id)).click();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    private static boolean isLoaded(String imageId) {
        return Boolean.TRUE.equals(js("const i = document.getElementById(arguments[0]);"
                + " return !!i.getAttribute('src') && i.complete && i.naturalWidth > 0 && !i.closest('[hidden]');",
                imageId));
    }

    private static Dimension naturalSize(String imageId) {
        List<?> size = (List<?>) js("const i = document.getElementById(arguments[0]);"
                + " return [i.naturalWidth, i.naturalHeight];", imageId);
        return new Dimension(((Number) size.get(0)).intValue(), ((Number) size.get(1)).intValue());
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static <T> T waitUntil(Function<WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(browser, timeout)
                .pollingEvery(Duration.ofMillis(250))
                .withMessage(UploadPageBrowserTest::pageState)
                .until(condition);
    }

    /** What the page shows, for failure messages. */
    private static String pageState() {
        return "page " + browser.getCurrentUrl() + " says status=\"" + js("return document.getElementById('status')"
                + ".textContent") + "\", error=\"" + js("return document.getElementById('error').innerText") + "\"";
    }

    private static void screenshot(String name) throws IOException {
        Path file = SCREENSHOTS.resolve(name);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("[e2e] screenshot " + file.toAbsolutePath());
    }

    // ------------------------------------------------------------------ HTTP and corpus helpers

    /** The same two requests the page makes, without the page: a shared link to an existing process. */
    private static String createAndUploadOverHttp(Path photo) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(imagery.uri("image"))
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(created.body());
        assertThat(id.find()).as(created.body()).isTrue();

        String boundary = "imagery-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + photo.getFileName() + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(imagery.uri("image/" + id.group(1) + "/upload"))
                .header("Accept", "application/json")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(concat(head, Files.readAllBytes(photo), tail)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isBetween(200, 299);
        return id.group(1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    /** A file of the shared test corpus, as an absolute path (the browser's file chooser needs one). */
    private static Path corpus(String file) {
        return Corpus.path(file).toAbsolutePath();
    }

    private static Dimension dimensions(Path image) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            assertThat(readers.hasNext()).as("a reader for " + image).isTrue();
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new Dimension(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        }
    }
}
