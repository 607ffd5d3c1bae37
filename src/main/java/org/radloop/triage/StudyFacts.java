package org.radloop.triage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.radloop.config.FacilityConfig;

/**
 * What triage needs to know about one completed study: where it comes from, what it is, its files
 * on disk, what its order says, and since when it has been waiting. Built by the study indexer from
 * the store; nothing here is read from the queue message.
 *
 * @param descriptions study and series descriptions and protocol names (for the protocol rules)
 * @param files        the study's DICOM files (every series; each model chooses its own)
 * @param waitingSince when the study completed (its waiting time for ageing starts here)
 */
public record StudyFacts(String facility, String modality, String bodyPart, List<String> descriptions, List<Path> files,
                         OrderFacts order, Instant waitingSince, FacilityConfig.Turnaround turnaround) {

    public List<String> descriptions() {
        return descriptions == null ? List.of() : descriptions;
    }

    public List<Path> files() {
        return files == null ? List.of() : files;
    }
}
