package org.radloop.ingest;

import org.radloop.engine.StageOutboxPublisher;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RadLoopSettings;
import org.radloop.engine.RadLoopMetrics;
import org.radloop.model.Store;

/**
 * HL7 ingest wired together from the engine's settings: the route's processor and the replayer the
 * API uses, sharing one handler; committed orders go out through the engine's stage outbox publisher.
 */
public final class Hl7Ingest {

    private final Hl7OrderIngest processor;
    private final Hl7MessageReplayer replayer;

    public Hl7Ingest(RadLoopSettings settings, Store store, StageOutboxPublisher publisher, FacilityRegistry facilities,
                     RadLoopMetrics metrics) {
        Hl7MessageHandler handler = new Hl7MessageHandler(store, facilities, publisher,
                new AckMessage(settings.get("radloop.hl7.application", "RADLOOP"), settings.get("radloop.hl7.facility", "RADLOOP")),
                settings.getInt("radloop.hl7.max.message.bytes", 1_048_576),
                settings.get("radloop.fault.hold-before-commit-control-id", null));
        processor = new Hl7OrderIngest(handler, metrics);
        replayer = new Hl7MessageReplayer(store, handler);
    }

    public Hl7OrderIngest processor() {
        return processor;
    }

    public MessageReplayer replayer() {
        return replayer;
    }
}
