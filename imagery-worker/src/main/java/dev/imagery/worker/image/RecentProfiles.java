package dev.imagery.worker.image;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The tables made from the last few ICC profiles seen, by the profiles' bytes ({@link CmykProfile},
 * {@link RgbProfile}): making one takes Java's colour management a tenth of a second or more, and photos mostly carry
 * one of a handful of profiles. Two images with a new profile at once may both make its table; one is kept.
 */
final class RecentProfiles<T> {

    private final Map<ByteBuffer, T> recent;

    RecentProfiles(int kept) {
        recent = Collections.synchronizedMap(new LinkedHashMap<>(kept, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, T> eldest) {
                return size() > kept;
            }
        });
    }

    /** The table for this profile, made by {@code make} unless kept; null when {@code make} gives null (not kept). */
    T get(byte[] profile, Function<byte[], T> make) {
        T known = recent.get(ByteBuffer.wrap(profile));
        if (known != null) {
            return known;
        }
        T made = make.apply(profile);
        if (made != null) {
            recent.put(ByteBuffer.wrap(profile.clone()), made); // a key the caller cannot change
        }
        return made;
    }
}
