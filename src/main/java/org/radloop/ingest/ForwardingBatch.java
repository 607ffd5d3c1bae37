package org.radloop.ingest;

import java.nio.file.Path;
import java.util.List;

/**
 * Instances of one study claimed for one transfer to the facility's PACS: the forward-to-pacs route
 * sends them with one {@code dicom-store-sink} call, which opens one association per transfer syntax.
 */
public record ForwardingBatch(String facilityId, long studyId, String aeTitle, String host, int port, List<Item> items) {

    /** One task and the stored file it sends. */
    public record Item(long taskId, Path file) {
    }

    public List<Path> files() {
        return items.stream().map(Item::file).toList();
    }
}
