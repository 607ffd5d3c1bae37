package org.radloop.triage.demo;

import java.util.Random;

/**
 * A synthetic axial CT head slice in Hounsfield units: air, an elliptical skull (bone), brain at
 * 30-40 HU with a soft grey/white variation and ventricles of CSF, optionally a hyperdense bleed
 * (60-80 HU) of random size and place, then partial-volume blur and scanner noise. Nothing here
 * resembles a real patient: it is a phantom, made to exercise the model platform end to end.
 */
public final class CtHeadPhantom {

    /** A bleed's cross-section on one slice: centre and radius as fractions of the image size. */
    public record Bleed(double cx, double cy, double radius, double hu) {
    }

    private CtHeadPhantom() {
    }

    /** A random bleed inside the brain of a head of the given scale (fractions of the image size). */
    public static Bleed randomBleed(Random rnd) {
        double angle = rnd.nextDouble() * 2 * Math.PI;
        double dist = rnd.nextDouble() * 0.18;
        return new Bleed(0.5 + dist * Math.cos(angle), 0.5 + dist * Math.sin(angle) * 0.85,
                0.03 + rnd.nextDouble() * 0.07, 60 + rnd.nextDouble() * 20);
    }

    /**
     * One slice.
     *
     * @param scale the head's cross-section relative to its widest (1.0 mid-head, smaller near the vertex)
     * @param bleed the bleed's cross-section on this slice, or null
     */
    public static float[] slice(Random rnd, int size, double scale, Bleed bleed) {
        float[] hu = new float[size * size];
        double cx = size * (0.5 + (rnd.nextDouble() - 0.5) * 0.04);
        double cy = size * (0.5 + (rnd.nextDouble() - 0.5) * 0.04);
        double a = size * scale * (0.38 + rnd.nextDouble() * 0.05);
        double b = size * scale * (0.32 + rnd.nextDouble() * 0.05);
        double skull = size * (0.03 + rnd.nextDouble() * 0.015);
        double brainHu = 31 + rnd.nextDouble() * 6;
        double boneHu = 700 + rnd.nextDouble() * 500;
        double ventricle = scale > 0.7 && rnd.nextBoolean() ? 0.10 + rnd.nextDouble() * 0.08 : 0;
        double phase = rnd.nextDouble() * Math.PI * 2;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = (x + 0.5 - cx) / a, dy = (y + 0.5 - cy) / b;
                double r = Math.sqrt(dx * dx + dy * dy);
                double inner = 1 - skull / Math.min(a, b);
                double v;
                if (r > 1) v = -1000;
                else if (r > inner) v = boneHu;
                else {
                    v = brainHu + 3 * Math.sin(x * 0.35 + phase) * Math.cos(y * 0.29 - phase);
                    if (ventricle > 0) {
                        double vx = (x + 0.5 - cx) / (size * ventricle), vy = (y + 0.5 - cy) / (size * ventricle * 0.5);
                        if (Math.abs(vx) > 0.15 && vx * vx + vy * vy < 1) v = 8;
                    }
                    if (bleed != null) {
                        double bx = (x + 0.5) / size - bleed.cx(), by = (y + 0.5) / size - bleed.cy();
                        double d = Math.sqrt(bx * bx + by * by) / bleed.radius();
                        if (d < 1) v = bleed.hu() - 6 * d * d;
                    }
                }
                hu[y * size + x] = (float) v;
            }
        }
        float[] blurred = Phantoms.boxBlur(hu, size, size);
        double sigma = 3 + rnd.nextDouble() * 3;
        for (int i = 0; i < blurred.length; i++) blurred[i] += (float) (rnd.nextGaussian() * sigma);
        return blurred;
    }
}
