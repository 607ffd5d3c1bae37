package org.radloop.triage;

import java.util.List;

/**
 * The feature extractors a flat model's YAML can name in {@code preprocessing.features}. Each reads
 * the first preprocessed channel (the first window, scaled to 0..1) and returns a fixed number of
 * values in a fixed order; extractors named together are concatenated in the order named. A model
 * trained on other features needs its own extractor here, or an NCHW input.
 *
 * <p>Feature names are {@code f000, f001, ...} in that order, so a Tribuo model trained on them
 * (Tribuo sorts features by name in its ONNX input) sees them in the same order as RadLoop sends them.
 *
 * <dl>
 * <dt>{@code window-histogram-v1} (14 values)</dt>
 * <dd>Of the pixels strictly inside the window (neither clamped to 0 nor to 1): a 10-bin histogram
 * over 0..1 as fractions of those pixels; their share of the whole image; their mean; their standard
 * deviation; and the share of them that are bright (at least 0.6) with all four neighbours bright too.
 * The last one tells a compact hyperdense blob (a bleed) from the thin partial-volume rim where brain
 * meets skull, which is also bright but never four-connected.</dd>
 * <dt>{@code zone-texture-v1} (18 values)</dt>
 * <dd>The image cut into a 3 x 3 grid; for each zone, row by row, its mean value and its mean absolute
 * gradient (horizontal plus vertical neighbour differences). A region of air without lung markings
 * (a pneumothorax-like pattern) is darker and smoother than lung.</dd>
 * </dl>
 */
public final class FeatureExtractors {

    public static final String WINDOW_HISTOGRAM = "window-histogram-v1";
    public static final String ZONE_TEXTURE = "zone-texture-v1";

    private FeatureExtractors() {
    }

    public static int size(String extractor) {
        return switch (extractor) {
            case WINDOW_HISTOGRAM -> 14;
            case ZONE_TEXTURE -> 18;
            default -> throw new IllegalArgumentException("Unknown feature extractor '" + extractor + "'");
        };
    }

    public static int size(List<String> extractors) {
        return extractors.stream().mapToInt(FeatureExtractors::size).sum();
    }

    /** Tribuo-safe feature name: sorts in extraction order. */
    public static String featureName(int index) {
        return String.format("f%03d", index);
    }

    public static float[] extract(List<String> extractors, float[] channel, int height, int width) {
        float[] out = new float[size(extractors)];
        int at = 0;
        for (String e : extractors) {
            float[] part = switch (e) {
                case WINDOW_HISTOGRAM -> windowHistogram(channel, height, width);
                case ZONE_TEXTURE -> zoneTexture(channel, height, width);
                default -> throw new IllegalArgumentException("Unknown feature extractor '" + e + "'");
            };
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    static float[] windowHistogram(float[] c, int h, int w) {
        float[] f = new float[14];
        int n = 0;
        double sum = 0, sumSq = 0;
        int compactBright = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = c[y * w + x];
                if (v <= 0f || v >= 1f) continue;
                n++;
                sum += v;
                sumSq += v * v;
                f[Math.min(9, (int) (v * 10))]++;
                if (v >= 0.6f && y > 0 && y < h - 1 && x > 0 && x < w - 1
                        && bright(c[(y - 1) * w + x]) && bright(c[(y + 1) * w + x])
                        && bright(c[y * w + x - 1]) && bright(c[y * w + x + 1])) {
                    compactBright++;
                }
            }
        }
        if (n == 0) return f;
        for (int i = 0; i < 10; i++) f[i] /= n;
        double mean = sum / n;
        f[10] = (float) n / (h * w);
        f[11] = (float) mean;
        f[12] = (float) Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        f[13] = (float) compactBright / n;
        return f;
    }

    /** Bright but inside the window: bone clamped to 1 is not "bright tissue". */
    private static boolean bright(float v) {
        return v >= 0.6f && v < 1f;
    }

    static float[] zoneTexture(float[] c, int h, int w) {
        float[] f = new float[18];
        for (int zy = 0; zy < 3; zy++) {
            for (int zx = 0; zx < 3; zx++) {
                int y0 = zy * h / 3, y1 = (zy + 1) * h / 3, x0 = zx * w / 3, x1 = (zx + 1) * w / 3;
                double sum = 0, grad = 0;
                int n = 0;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        float v = c[y * w + x];
                        sum += v;
                        if (x + 1 < w) grad += Math.abs(c[y * w + x + 1] - v);
                        if (y + 1 < h) grad += Math.abs(c[(y + 1) * w + x] - v);
                        n++;
                    }
                }
                int z = zy * 3 + zx;
                f[2 * z] = n == 0 ? 0 : (float) (sum / n);
                f[2 * z + 1] = n == 0 ? 0 : (float) (grad / n);
            }
        }
        return f;
    }
}
