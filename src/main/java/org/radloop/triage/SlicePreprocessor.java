package org.radloop.triage;

import java.util.List;

/**
 * Turns one slice's rescaled values into the model's channels, exactly as the model's YAML says:
 * resize (bilinear), one channel per window (channel stacking), then normalisation. The
 * demonstration models are trained on images that went through this same code, so what a model
 * saw in training is what it sees in RadLoop.
 */
public final class SlicePreprocessor {

    private SlicePreprocessor() {
    }

    /** Channels of {@code height x width} values, row by row, for an image of {@code rows x columns}. */
    public static float[][] channels(ModelSpec spec, float[] values, int rows, int columns) {
        ModelSpec.Size target = targetSize(spec, rows, columns);
        float[] resized = (target.height() == rows && target.width() == columns)
                ? values : resize(values, rows, columns, target.height(), target.width());
        ModelSpec.Preprocessing p = spec.preprocessing() == null
                ? new ModelSpec.Preprocessing(null, null, null, null, null, null, null, null) : spec.preprocessing();
        ModelSpec.Normalise norm = p.normaliseOrDefault();
        List<ModelSpec.Window> windows = p.windows();
        if (windows.isEmpty()) {
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (float v : resized) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            return new float[][] {normalise(resized, lo, hi, norm)};
        }
        float[][] out = new float[windows.size()][];
        for (int c = 0; c < windows.size(); c++) {
            ModelSpec.Window w = windows.get(c);
            out[c] = normalise(resized, (float) w.low(), (float) w.high(), norm);
        }
        return out;
    }

    /** NCHW: input.size; flat: preprocessing.resize; else the slice's own size. */
    public static ModelSpec.Size targetSize(ModelSpec spec, int rows, int columns) {
        if (spec.preprocessing() != null && spec.preprocessing().resize() != null) return spec.preprocessing().resize();
        if (spec.input() != null && spec.input().size() != null) return spec.input().size();
        return new ModelSpec.Size(rows, columns);
    }

    private static float[] normalise(float[] values, float lo, float hi, ModelSpec.Normalise norm) {
        float[] out = new float[values.length];
        float range = hi > lo ? hi - lo : 1f;
        String method = norm.method() == null ? "scale01" : norm.method();
        for (int i = 0; i < values.length; i++) {
            float v = Math.max(lo, Math.min(hi, values[i]));
            out[i] = switch (method) {
                case "meanstd" -> (float) ((v - norm.mean()) / norm.std());
                case "none" -> v;
                default -> (v - lo) / range;
            };
        }
        return out;
    }

    /** Bilinear resampling with pixel centres aligned (the same convention as OpenCV's INTER_LINEAR). */
    public static float[] resize(float[] src, int rows, int cols, int outRows, int outCols) {
        float[] out = new float[outRows * outCols];
        double sy = (double) rows / outRows;
        double sx = (double) cols / outCols;
        for (int y = 0; y < outRows; y++) {
            double fy = Math.max(0, Math.min(rows - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(rows - 1, y0 + 1);
            double dy = fy - y0;
            for (int x = 0; x < outCols; x++) {
                double fx = Math.max(0, Math.min(cols - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(cols - 1, x0 + 1);
                double dx = fx - x0;
                double top = src[y0 * cols + x0] * (1 - dx) + src[y0 * cols + x1] * dx;
                double bottom = src[y1 * cols + x0] * (1 - dx) + src[y1 * cols + x1] * dx;
                out[y * outCols + x] = (float) (top * (1 - dy) + bottom * dy);
            }
        }
        return out;
    }
}
