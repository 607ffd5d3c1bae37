package org.radloop.triage;

/** Turns a model's raw output row into probabilities, as its YAML's output.activation says. */
public final class Activation {

    private Activation() {
    }

    public static float[] apply(String activation, float[] row) {
        return switch (activation) {
            case "sigmoid" -> sigmoid(row);
            case "softmax" -> softmax(row);
            default -> row.clone();
        };
    }

    private static float[] sigmoid(float[] row) {
        float[] out = new float[row.length];
        for (int i = 0; i < row.length; i++) out[i] = (float) (1 / (1 + Math.exp(-row[i])));
        return out;
    }

    /** Shifted by the maximum so that large logits do not overflow. */
    private static float[] softmax(float[] row) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : row) max = Math.max(max, v);
        double sum = 0;
        double[] e = new double[row.length];
        for (int i = 0; i < row.length; i++) { e[i] = Math.exp(row[i] - max); sum += e[i]; }
        float[] out = new float[row.length];
        for (int i = 0; i < row.length; i++) out[i] = (float) (e[i] / sum);
        return out;
    }
}
