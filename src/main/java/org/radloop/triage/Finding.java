package org.radloop.triage;

import java.util.List;

/**
 * A model's positive label for a study: what it stands for clinically and the evidence (the
 * probability and the slices that drove it), kept with the model id and version that produced it.
 *
 * @param slices instance numbers of the slices that drove the study probability
 */
public record Finding(String modelId, String modelVersion, String label, double probability, double threshold,
                      String code, String text, int severity, List<Integer> slices) {
}
