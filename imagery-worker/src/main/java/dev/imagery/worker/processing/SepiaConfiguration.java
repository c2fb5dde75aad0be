package dev.imagery.worker.processing;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.imagery.worker.image.PixelBudget;
import dev.imagery.worker.image.SepiaProcessor;
import dev.imagery.worker.image.SepiaSettings;

/** The sepia pipeline's limits and trade-offs, settable per deployment (see SepiaSettings). */
@Configuration(proxyBeanMethods = false)
class SepiaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SepiaConfiguration.class);

    @Bean
    SepiaProcessor sepiaProcessor(
            @Value("${imagery.sepia.max-pixels:" + SepiaSettings.DEFAULT_MAX_PIXELS + "}") long maxPixels,
            @Value("${imagery.sepia.thumbnail-max-side:" + SepiaSettings.DEFAULT_THUMBNAIL_MAX_SIDE + "}") int thumbnailMaxSide,
            @Value("${imagery.sepia.png-compression-level:" + SepiaSettings.DEFAULT_PNG_COMPRESSION_LEVEL + "}") int level,
            @Value("${imagery.sepia.parallel-png-compression:true}") boolean parallel,
            @Value("${imagery.sepia.png-filter:}") String filter,
            @Value("${imagery.sepia.deflate-strategy:}") String strategy,
            @Value("${imagery.worker.max-pixels-in-flight:0}") long pixelsInFlight) {
        PixelBudget budget = pixelsInFlight > 0 ? new PixelBudget(pixelsInFlight) : PixelBudget.forHeap();
        log.info("Decoding at most {} megapixels at once (imagery.worker.max-pixels-in-flight; 0 = from the heap)",
                budget.pixels() / 1_000_000);
        // Empty means the default (an enum constant cannot be an annotation's default value).
        SepiaProcessor processor = new SepiaProcessor(new SepiaSettings(maxPixels, thumbnailMaxSide, level, parallel,
                filter.isBlank() ? SepiaSettings.DEFAULT_PNG_FILTER
                        : SepiaSettings.PngFilter.valueOf(filter.trim().toUpperCase(Locale.ROOT)),
                strategy.isBlank() ? SepiaSettings.DEFAULT_DEFLATE_STRATEGY
                        : SepiaSettings.DeflateStrategy.valueOf(strategy.trim().toUpperCase(Locale.ROOT))),
                budget);
        if (processor.maxPixels() < maxPixels) {
            log.info("Images of up to {} megapixels: the heap holds no larger one (imagery.sepia.max-pixels: {})",
                    processor.maxPixels() / 1_000_000, maxPixels / 1_000_000);
        }
        return processor;
    }
}
