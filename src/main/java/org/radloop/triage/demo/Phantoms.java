package org.radloop.triage.demo;

/** Image helpers the phantoms share. */
final class Phantoms {

    private Phantoms() {
    }

    /** 3 x 3 mean: the partial-volume smoothing a real detector and reconstruction add at every edge. */
    static float[] boxBlur(float[] src, int h, int w) {
        float[] out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy, xx = x + dx;
                        if (yy < 0 || xx < 0 || yy >= h || xx >= w) continue;
                        sum += src[yy * w + xx];
                        n++;
                    }
                }
                out[y * w + x] = (float) (sum / n);
            }
        }
        return out;
    }
}
