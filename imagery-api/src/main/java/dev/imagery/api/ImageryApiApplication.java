package dev.imagery.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The API fleet: stateless servers behind the load balancer. */
@SpringBootApplication(scanBasePackages = "dev.imagery")
@EnableScheduling
public class ImageryApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(ImageryApiApplication.class, args);
    }
}
