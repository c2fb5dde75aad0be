package dev.imagery.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The worker fleet: takes work from the queue, never from a person. */
@SpringBootApplication(scanBasePackages = "dev.imagery")
public class ImageryWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ImageryWorkerApplication.class, args);
    }
}
