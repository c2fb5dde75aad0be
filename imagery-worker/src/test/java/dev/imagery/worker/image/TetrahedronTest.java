package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TetrahedronTest {

    /**
     * Within a tetrahedron that holds the colour, its corners' weights are the colour's barycentric coordinates, so a
     * table of a linear function gives back that function's value exactly. A wrong tetrahedron, a corner out of
     * place or a weight on the wrong corner gives another value for some colour.
     */
    @ParameterizedTest(name = "an entry every {0} levels")
    @ValueSource(ints = {15, 5})
    void reproducesALinearFunctionExactlyForEveryColour(int step) {
        int points = Tetrahedron.points(step);
        long[] table = new long[points * points * points];
        for (int a = 0, i = 0; a < points; a++) {
            for (int b = 0; b < points; b++) {
                for (int c = 0; c < points; c++, i++) {
                    table[i] = linear(a * step, b * step, c * step);
                }
            }
        }
        Tetrahedron corners = new Tetrahedron(step);
        long wrong = 0;
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c = 0; c < 256; c++) {
                    corners.locate(a, b, c);
                    long sum = corners.w0 * table[corners.base] + corners.w1 * table[corners.first]
                            + corners.w2 * table[corners.second] + corners.w3 * table[corners.top];
                    if (sum != step * linear(a, b, c) || Math.min(Math.min(corners.w0, corners.w1),
                            Math.min(corners.w2, corners.w3)) < 0) {
                        wrong++;
                    }
                }
            }
        }
        assertThat(wrong).as("colours whose corners or weights are wrong").isZero();
    }

    /** Each channel weighed so that no two colours share a value. */
    private static long linear(int a, int b, int c) {
        return a * 1_000_000L + b * 1_000L + c;
    }
}
