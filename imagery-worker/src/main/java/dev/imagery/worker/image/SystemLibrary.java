package dev.imagery.worker.image;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jnr.ffi.LibraryLoader;

/**
 * A system library the worker is faster with and works without ({@link TurboJpeg}, {@link IsalDeflate}): bound
 * once through jnr-ffi, or null where it is missing or switched off, and the log says which.
 */
final class SystemLibrary {

    private static final Logger log = LoggerFactory.getLogger(SystemLibrary.class);

    private SystemLibrary() {
    }

    /**
     * @param name     the library's name without {@code lib} and the version ({@code libisal.so.2}: {@code isal})
     * @param property a system property that switches it off when {@code false}
     * @param using    what the worker does with it, for the log
     * @param without  what it does instead, for the log
     */
    static <T> T load(Class<T> api, String name, String property, String using, String without) {
        if (!Boolean.parseBoolean(System.getProperty(property, "true"))) {
            log.info("lib{} switched off (-D{}=false): {}", name, property, without);
            return null;
        }
        try {
            T library = LibraryLoader.create(api).failImmediately().load(name);
            log.info("{} (lib{})", using, name);
            return library;
        } catch (LinkageError | RuntimeException e) {
            log.info("lib{} not found ({}): {}", name, e.getMessage(), without);
            return null;
        }
    }
}
