package org.radloop.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.hibernate.Session;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.model.AuditEvent;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Study;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes studies and hands complete, matched ones to triage: one {@code study/completed} message
 * on {@code radloop.triage} per completion, with the JMS priority of the order's urgency.
 *
 * <p>Exactly once: the message is sent inside the database transaction that moves the study to
 * TRIAGE_QUEUED, so a failed send leaves the study COMPLETE for the next sweep to retry; and it
 * carries Artemis's duplicate-detection id (study UID and completion number), so if the commit fails
 * after the send, the broker drops the second copy that the retry sends.
 */
public final class TriageHandoff {

    private static final Logger LOG = LoggerFactory.getLogger(TriageHandoff.class);
    /** Artemis duplicate detection (org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID). */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private final Supplier<CamelContext> camel;
    private volatile ProducerTemplate producer;

    public TriageHandoff(Supplier<CamelContext> camel) {
        this.camel = camel;
    }

    /** Marks the study complete and, when it has its order, hands it to triage. Call with the study locked. */
    void complete(Session s, Study study, Instant now, String why) {
        study.complete(now);
        s.persist(new AuditEvent("study-completion", "study-completed", "study", study.getId(), why));
        LOG.info("Study {} of facility {} complete ({}), {} instance(s)", study.getId(), study.getFacilityId(), why,
                study.getInstanceCount());
        handOffIfMatched(s, study, now);
    }

    /** Sends a COMPLETE study that has its order to triage; does nothing otherwise. Call with the study locked. */
    void handOffIfMatched(Session s, Study study, Instant now) {
        if (study.getState() != Study.State.COMPLETE || study.getOrderId() == null) return;
        ImagingOrder order = s.find(ImagingOrder.class, study.getOrderId());
        int priority = order.getPriority().jmsPriority();
        String json = new StageMessage("study", study.getStudyInstanceUid(), study.getFacilityId(), "completed").toJson();
        producer().sendBodyAndHeaders(Stage.TRIAGE.endpoint(), json, Map.of(
                "JMSPriority", priority,
                DUPLICATE_ID, "study-completed:" + study.getStudyInstanceUid() + "#" + study.getReopenCount()));
        study.triageQueued(now);
        s.persist(new AuditEvent("study-completion", "triage-queued", "study", study.getId(),
                "order " + order.getId() + ", priority " + order.getPriority() + ", completion " + (study.getReopenCount() + 1)));
        LOG.info("Study {} handed to triage with priority {} ({})", study.getId(), priority, order.getPriority());
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) producer = camel.get().createProducerTemplate();
                p = producer;
            }
        }
        return p;
    }
}
