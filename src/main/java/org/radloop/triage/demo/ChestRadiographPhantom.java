package org.radloop.triage.demo;

import java.util.Random;

/**
 * A synthetic frontal chest radiograph, intensities 0..1 with bright meaning dense (MONOCHROME2):
 * soft tissue, two lungs with branching vessel markings and ribs, a mediastinum, and optionally a
 * pneumothorax-like pattern: at the apex and side of one lung, a rim of air without markings (darker
 * and smooth) bounded by a thin pleural line. A phantom for the platform, not an anatomical model.
 */
public final class ChestRadiographPhantom {

    private ChestRadiographPhantom() {
    }

    public static float[] image(Random rnd, int size, boolean pneumothorax) {
        float[] img = new float[size * size];
        double lungW = 0.17 + rnd.nextDouble() * 0.04, lungH = 0.30 + rnd.nextDouble() * 0.05;
        double lx = 0.29 + (rnd.nextDouble() - 0.5) * 0.03, rx = 0.71 + (rnd.nextDouble() - 0.5) * 0.03;
        double ly = 0.47 + (rnd.nextDouble() - 0.5) * 0.04;
        double lungTone = 0.22 + rnd.nextDouble() * 0.06;
        int side = rnd.nextBoolean() ? 0 : 1;
        double depth = 0.25 + rnd.nextDouble() * 0.45;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double fx = (x + 0.5) / size, fy = (y + 0.5) / size;
                double body = Math.pow((fx - 0.5) / 0.46, 2) + Math.pow((fy - 0.55) / 0.55, 2);
                double v = body < 1 ? 0.55 : 0.04;
                for (int lung = 0; lung < 2; lung++) {
                    double cx = lung == 0 ? lx : rx;
                    double dx = (fx - cx) / lungW, dy = (fy - ly) / lungH;
                    double r = dx * dx + dy * dy;
                    if (r < 1) {
                        v = lungTone + 0.05 * Math.sin(fy * size * 0.55) * 0.5;
                        if (pneumothorax && lung == side) {
                            // The collapsed lung sits medially; lateral and apical air has no markings.
                            double lateral = lung == 0 ? -dx : dx;
                            double edge = Math.sqrt(r);
                            if (edge > 1 - depth && (lateral > -0.2 || dy < -0.3)) v = -1;
                        }
                    }
                }
                img[y * size + x] = (float) v;
            }
        }
        drawVessels(rnd, img, size, lx, ly, lungW, lungH);
        drawVessels(rnd, img, size, rx, ly, lungW, lungH);
        for (int i = 0; i < img.length; i++) {
            if (img[i] == -1) img[i] = (float) (lungTone - 0.12);
        }
        if (pneumothorax) drawPleuralLine(img, size, side == 0 ? lx : rx, ly, lungW, lungH, depth, side);
        for (int rib = 0; rib < 7; rib++) {
            double ry = 0.22 + rib * 0.075;
            for (int x = 0; x < size; x++) {
                double fx = (x + 0.5) / size;
                int y = (int) ((ry + 0.05 * Math.pow(fx - 0.5, 2) * 4) * size);
                for (int t = 0; t < Math.max(1, size / 64); t++) {
                    int yy = y + t;
                    if (yy >= 0 && yy < size && img[yy * size + x] < 0.5f) img[yy * size + x] += 0.06f;
                }
            }
        }
        float[] out = Phantoms.boxBlur(img, size, size);
        for (int i = 0; i < out.length; i++) out[i] = (float) Math.max(0, Math.min(1, out[i] + rnd.nextGaussian() * 0.015));
        return out;
    }

    /** Vessels branch from the hilum outwards; they are drawn only where there is lung, not free air. */
    private static void drawVessels(Random rnd, float[] img, int size, double cx, double cy, double w, double h) {
        int n = 45 + rnd.nextInt(15);
        for (int i = 0; i < n; i++) {
            double angle = rnd.nextDouble() * 2 * Math.PI;
            double length = 0.4 + rnd.nextDouble() * 0.6;
            int steps = size;
            for (int s = 0; s < steps; s++) {
                double t = length * s / steps;
                double fx = cx + Math.cos(angle) * w * t, fy = cy + Math.sin(angle) * h * t;
                int x = (int) (fx * size), y = (int) (fy * size);
                if (x < 0 || y < 0 || x >= size || y >= size) break;
                int k = y * size + x;
                if (img[k] == -1) break;
                double dx = (fx - cx) / w, dy = (fy - cy) / h;
                if (dx * dx + dy * dy >= 1) break;
                img[k] += (float) (0.16 * (1 - t * 0.7));
            }
        }
    }

    private static void drawPleuralLine(float[] img, int size, double cx, double cy, double w, double h, double depth, int side) {
        for (int i = 0; i < size * 4; i++) {
            double angle = 2 * Math.PI * i / (size * 4);
            double fx = cx + Math.cos(angle) * w * (1 - depth), fy = cy + Math.sin(angle) * h * (1 - depth);
            double dx = Math.cos(angle) * (1 - depth), dy = Math.sin(angle) * (1 - depth);
            double lateral = side == 0 ? -dx : dx;
            if (!(lateral > -0.2 || dy < -0.3)) continue;
            int x = (int) (fx * size), y = (int) (fy * size);
            if (x >= 0 && y >= 0 && x < size && y < size) img[y * size + x] = 0.42f;
        }
    }
}
