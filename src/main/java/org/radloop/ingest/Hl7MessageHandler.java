package org.radloop.ingest;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.AbstractMessage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;
import org.radloop.engine.StageOutboxPublisher;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
import org.radloop.engine.Stage;
import org.radloop.model.AuditEvent;
import org.radloop.model.DatabaseContention;
import org.radloop.model.GroupCommit;
import org.radloop.model.ImagingOrder;
import org.radloop.model.MessageRecord;
import org.radloop.model.Patient;
import org.radloop.model.StageOutboxEntry;
import org.radloop.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to one inbound HL7 message, from text to ACK: check the header, recognise the
 * facility, parse, read, and apply it; the raw message, its record, the order and patient changes,
 * the audit trail and the outbox rows commit in one transaction, and only then is the ACK built.
 *
 * <p>Idempotency: an accepted message's record carries {@code facility|MSH-10} in a column with a
 * unique constraint. A resent message (or the loser of two connections racing with the same message)
 * fails on that constraint when it commits, is rolled back whole, and is retried; the retry finds the
 * earlier record and stores a DUPLICATE record instead, acknowledged again with nothing changed.
 * A refused message's record has no key, so the sender can fix and resend it with the same MSH-10.
 */
final class Hl7MessageHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Hl7MessageHandler.class);
    static final String CHANNEL = "hl7";
    private static final int ATTEMPTS = 3;
    private static final int MAX_GROUP = 64;

    private final Store store;
    private final FacilityRegistry facilities;
    private final StageOutboxPublisher publisher;
    private final AckMessage acks;
    private final Hl7Parser parser = new Hl7Parser();
    private final GroupCommit<Ready, Committed> commits;
    private final int maxBytes;
    /** Where ORU^R01 results go (the reporting stage); null: results are refused as unsupported. */
    private volatile Hl7ResultSink results;
    /** Test hook (radloop.fault.hold-before-commit-control-id): see {@link #holdBeforeCommit}. */
    private final String holdBeforeCommitControlId;

    Hl7MessageHandler(Store store, FacilityRegistry facilities, StageOutboxPublisher publisher, AckMessage acks,
                      int maxBytes, String holdBeforeCommitControlId) {
        this.store = store;
        this.facilities = facilities;
        this.publisher = publisher;
        this.acks = acks;
        this.maxBytes = maxBytes;
        this.holdBeforeCommitControlId = holdBeforeCommitControlId;
        this.commits = new GroupCommit<>(store, MAX_GROUP,
                (s, r) -> apply(s, r.in(), r.msh(), r.facility(), r.content(), false), this::commitOne);
    }

    void acceptResults(Hl7ResultSink sink) {
        this.results = sink;
    }

    /**
     * What became of a message.
     *
     * @param ack     the ACK to send, or null when the sender asked for none in this case
     * @param ackCode the MSA-1 code sent (or, when none is sent, the one that applies)
     */
    record Result(long recordId, MessageRecord.State state, String ackCode, String ack, String facilityId,
                  String messageType, Hl7Rejection error) {
    }

    private record Committed(Result result, List<StageOutboxEntry> outbox) {
    }

    Result handle(Received in) {
        MshHeader msh = MshHeader.read(in.text());
        String facilityId = null;
        try {
            if (msh == null) {
                throw Hl7Rejection.reject(ErrorCode.SEGMENT_SEQUENCE_ERROR, ErrorLocation.segment("MSH"),
                        "not an HL7 v2 message: it must start with an MSH segment");
            }
            if (in.sizeBytes() > maxBytes) {
                throw Hl7Rejection.reject(ErrorCode.APPLICATION_INTERNAL_ERROR, ErrorLocation.segment("MSH"),
                        "message of " + in.sizeBytes() + " bytes is larger than the " + maxBytes + " bytes accepted (radloop.hl7.max.message.bytes)");
            }
            if (msh.messageCode() == null) throw Hl7Rejection.reject(ErrorCode.REQUIRED_FIELD_MISSING, ErrorLocation.of("MSH", 9), "the message type (MSH-9) is required");
            if (msh.controlId() == null) throw Hl7Rejection.reject(ErrorCode.REQUIRED_FIELD_MISSING, ErrorLocation.of("MSH", 10), "the message control id (MSH-10) is required");
            if (msh.version() == null) throw Hl7Rejection.reject(ErrorCode.REQUIRED_FIELD_MISSING, ErrorLocation.of("MSH", 12), "the version id (MSH-12) is required");
            if (!Hl7Versions.isSupported(msh.version())) {
                throw Hl7Rejection.reject(ErrorCode.UNSUPPORTED_VERSION_ID, ErrorLocation.of("MSH", 12),
                        "HL7 version " + msh.version() + " is not supported (" + Hl7Versions.list() + ")");
            }
            if (!Hl7Charsets.isUndeclared(msh.characterSet()) && Hl7Charsets.forMsh18(msh.characterSet()) == null) {
                throw Hl7Rejection.reject(ErrorCode.TABLE_VALUE_NOT_FOUND, ErrorLocation.of("MSH", 18),
                        "character set '" + msh.characterSet() + "' (MSH-18) is not known");
            }
            Hl7Parser.checkSupported(msh);
            if (results == null && "ORU".equalsIgnoreCase(msh.messageCode())) {
                throw Hl7Rejection.reject(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, ErrorLocation.of("MSH", 9, 1),
                        "results (ORU) are not accepted: the reporting stage is not running");
            }
            FacilityRegistry.Loaded facility = facilities.byHl7Sender(msh.sendingApplication(), msh.sendingFacility())
                    .orElseThrow(() -> Hl7Rejection.reject(ErrorCode.UNKNOWN_KEY_IDENTIFIER, ErrorLocation.of("MSH", 4),
                            "sender " + msh.sendingApplication() + "/" + msh.sendingFacility() + " (MSH-3/MSH-4) is not a configured facility"));
            facilityId = facility.config().id();
            AbstractMessage parsed = parser.parse(msh, in.text());
            Hl7Content content = Hl7ContentReader.read(parsed, zone(facility.config()), accessionFromFiller(facility.config()));
            if (content instanceof Hl7Content.Result r) {
                String problem = results.problem(facilityId, r.result());
                // AE, not AR: the message is fine, RadLoop has no such exam (yet); it is kept for replay.
                if (problem != null) throw Hl7Rejection.error(ErrorCode.UNKNOWN_KEY_IDENTIFIER, ErrorLocation.of("OBR", 18), problem);
            }
            return commit(new Ready(in, msh, facility, content));
        } catch (Hl7Rejection r) {
            return refuse(in, msh, facilityId, r);
        } catch (HL7Exception e) {
            return refuse(in, msh, facilityId, fromHapi(e));
        } catch (RuntimeException e) {
            LOG.error("HL7 message {} from {} could not be processed: {}", msh == null ? "?" : msh.controlId(), facilityId, cause(e));
            LOG.debug("Why HL7 message {} could not be processed", msh == null ? "?" : msh.controlId(), e);
            return refuse(in, msh, facilityId, Hl7Rejection.reject(ErrorCode.APPLICATION_INTERNAL_ERROR, null,
                    "RadLoop could not process the message: " + e.getClass().getSimpleName()));
        }
    }

    /** A message read and checked, waiting for its transaction. */
    private record Ready(Received in, MshHeader msh, FacilityRegistry.Loaded facility, Hl7Content content) {
    }

    /**
     * Each message's transaction commits before its ACK; messages arriving together on several
     * connections share one ({@link GroupCommit}), and a failed shared transaction sends each of its
     * messages through its own, so one message never changes another's outcome. The outbox rows are
     * handed to the publisher only once the transaction holding them has committed.
     */
    private Result commit(Ready ready) {
        Committed c = commits.commit(ready);
        publisher.publish(c.outbox());
        return c.result();
    }

    /** One message in its own transaction(s), retrying what is transient; a failure is a refusal. */
    private Committed commitOne(Ready r) {
        Received in = r.in();
        MshHeader msh = r.msh();
        String facilityId = r.facility().config().id();
        for (int attempt = 1; ; attempt++) {
            try {
                boolean lookForEarlier = attempt > 1;
                return store.fromTransaction(s -> apply(s, in, msh, r.facility(), r.content(), lookForEarlier));
            } catch (RuntimeException e) {
                if (attempt < ATTEMPTS && DatabaseContention.lostRace(e)) continue;
                if (DatabaseContention.lockTimedOut(e)) {
                    LOG.warn("HL7 message {} from {} waited too long for a record another message holds", msh.controlId(), facilityId);
                    return refused(refuse(in, msh, facilityId, Hl7Rejection.reject(ErrorCode.APPLICATION_RECORD_LOCKED, null,
                            "a record this message changes is locked by another message; send it again")));
                }
                LOG.error("HL7 message {} from {} could not be stored: {}", msh.controlId(), facilityId, cause(e));
                LOG.debug("Why HL7 message {} could not be stored", msh.controlId(), e);
                return refused(refuse(in, msh, facilityId, Hl7Rejection.reject(ErrorCode.APPLICATION_INTERNAL_ERROR, null,
                        "RadLoop could not store the message; send it again later")));
            }
        }
    }

    private static Committed refused(Result result) {
        return new Committed(result, List.of());
    }

    /**
     * @param lookForEarlier whether to look for an accepted message with the same key first. The first
     *                       attempt does not: the unique key refuses a duplicate at the end anyway, and
     *                       a resend is rare while the saved query is paid by every message.
     */
    private Committed apply(Session s, Received in, MshHeader msh, FacilityRegistry.Loaded facility, Hl7Content content,
                            boolean lookForEarlier) {
        String facilityId = facility.config().id();
        String dedupKey = facilityId + "|" + msh.controlId();
        String ackCode = AcknowledgementMode.code(msh.acceptAckType(), msh.applicationAckType(), AcknowledgementMode.Outcome.ACCEPTED);
        MessageRecord record = newRecord(in, msh, facilityId);
        record.setAckCode(ackCode == null ? "AA" : ackCode);
        record.setProcessedAt(Instant.now());

        Long earlier = !lookForEarlier ? null : s.createSelectionQuery("select m.id from MessageRecord m where m.dedupKey = :k", Long.class)
                .setParameter("k", dedupKey).uniqueResult();
        if (earlier != null) {
            record.setState(MessageRecord.State.DUPLICATE);
            record.setSummary("{\"duplicateOf\":" + earlier + "}");
            s.persist(record);
            return new Committed(result(record, msh, facilityId, ackCode, null), List.of());
        }

        String actor = "hl7:" + facilityId;
        String because = "message " + msh.controlId();
        List<StageOutboxEntry> outbox = new ArrayList<>(2);
        Summary summary = new Summary(msh.messageType());
        if (content instanceof Hl7Content.Orders orders) {
                Patient patient = PatientRegister.current(s, PatientRegister.upsert(s, facilityId, orders.patient()));
                record.setPatientId(patient.getId());
                for (IncomingOrder io : orders.orders()) {
                    OrderRegister.Change change = OrderRegister.apply(s, facilityId, facility.codes(), patient.getId(), io);
                    ImagingOrder o = change.order();
                    if (record.getOrderId() == null) record.setOrderId(o.getId());
                    s.persist(new AuditEvent(actor, "order." + change.event(), "order", o.getId(), because));
                    outbox.add(outbox(s, o, change.event()));
                    summary.order(io, o, change.event());
                }
        } else if (content instanceof Hl7Content.PatientUpdate update) {
                Patient patient = PatientRegister.upsert(s, facilityId, update.patient());
                record.setPatientId(patient.getId());
                s.persist(new AuditEvent(actor, "patient.updated", "patient", patient.getId(), because + " (" + update.event() + ")"));
        } else if (content instanceof Hl7Content.Result result) {
                outbox.addAll(results.accept(s, facilityId, result.result(), actor));
                summary.note("result");
        } else if (content instanceof Hl7Content.Merge merge) {
                for (Hl7Content.MergePair pair : merge.pairs()) {
                    PatientRegister.MergeResult r = PatientRegister.merge(s, facilityId, pair);
                    if (record.getPatientId() == null) record.setPatientId(r.survivor().getId());
                    if (r.prior() == null) {
                        s.persist(new AuditEvent(actor, "patient.merge-unknown-prior", "patient", r.survivor().getId(),
                                because + ": the prior identifier was not known, nothing to merge"));
                        summary.note("unknownPrior");
                        continue;
                    }
                    s.persist(new AuditEvent(actor, "patient.merged", "patient", r.survivor().getId(),
                            because + ": patient " + r.prior().getId() + " merged into " + r.survivor().getId()
                                    + ", " + r.movedOrders().size() + " order(s) moved"));
                    summary.note("merged");
                    for (ImagingOrder o : r.movedOrders()) outbox.add(outbox(s, o, "patient-merged"));
                }
        }
        record.setState(MessageRecord.State.ACCEPTED);
        record.setDedupKey(dedupKey);
        record.setSummary(summary.json());
        s.persist(record);
        if (in.replayOfId() != null) {
            MessageRecord original = s.find(MessageRecord.class, in.replayOfId());
            if (original != null && original.getState() == MessageRecord.State.REJECTED) original.setState(MessageRecord.State.REPLAYED);
        }
        holdBeforeCommit(s, msh);
        return new Committed(result(record, msh, facilityId, ackCode, null), outbox);
    }

    private static StageOutboxEntry outbox(Session s, ImagingOrder o, String event) {
        StageOutboxEntry e = new StageOutboxEntry(Stage.INGEST.queue(), "order", o.getId(), o.getFacilityId(), event,
                o.getPriority().jmsPriority());
        s.persist(e);
        return e;
    }

    /**
     * Test hook for crash safety: with radloop.fault.hold-before-commit-control-id set (read once at
     * start), the thread handling that message stops after every statement of its transaction ran and
     * before the commit, and says so on standard output, so that a test can kill the process (SIGKILL)
     * exactly between receipt and commit. Never set in production.
     */
    private void holdBeforeCommit(Session s, MshHeader msh) {
        if (holdBeforeCommitControlId == null || !holdBeforeCommitControlId.equals(msh.controlId())) return;
        s.flush();
        LOG.warn("Test hook radloop.fault.hold-before-commit-control-id: holding message {} before its commit", msh.controlId());
        System.out.println(HOLD_MARKER + msh.controlId());
        System.out.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("held message released by shutdown", e);
        }
    }

    /** What {@link #holdBeforeCommit} prints, followed by the control id. */
    static final String HOLD_MARKER = "RADLOOP-TEST-HOOK holding before commit: ";

    private Result refuse(Received in, MshHeader msh, String facilityId, Hl7Rejection r) {
        AcknowledgementMode.Outcome outcome = r.isReject() ? AcknowledgementMode.Outcome.REJECTED : AcknowledgementMode.Outcome.ERROR;
        String ackCode = msh == null ? "AR" : AcknowledgementMode.code(msh.acceptAckType(), msh.applicationAckType(), outcome);
        MessageRecord record = newRecord(in, msh, facilityId);
        record.setState(MessageRecord.State.REJECTED);
        record.setAckCode(ackCode == null ? (r.isReject() ? "AR" : "AE") : ackCode);
        record.setError(String.valueOf(r.code().getCode()), r.location() == null ? null : r.location().erl(), r.getMessage());
        record.setProcessedAt(Instant.now());
        try {
            store.inTransaction(s -> s.persist(record));
        } catch (RuntimeException e) {
            LOG.error("A refused HL7 message ({}) could not be stored: {}", msh == null ? "no MSH" : msh.controlId(), cause(e));
            LOG.debug("Why the refused HL7 message could not be stored", e);
        }
        return result(record, msh, facilityId, ackCode, r);
    }

    private Result result(MessageRecord record, MshHeader msh, String facilityId, String ackCode, Hl7Rejection error) {
        String ack = ackCode == null ? null : acks.build(msh, ackCode, error);
        return new Result(record.getId() == null ? -1 : record.getId(), record.getState(), record.getAckCode(), ack, facilityId,
                msh == null ? null : msh.messageType(), error);
    }

    private static MessageRecord newRecord(Received in, MshHeader msh, String facilityId) {
        MessageRecord r = new MessageRecord(MessageRecord.Direction.IN, CHANNEL, in.text(), in.sizeBytes());
        r.setFacilityId(facilityId);
        r.setRemoteAddress(clip(in.remoteAddress(), 100));
        r.setCharset(clip(in.charset() == null ? null : in.charset().name(), 32));
        r.setReplayOfId(in.replayOfId());
        if (msh != null) {
            r.setMessageType(clip(msh.messageType(), 32));
            r.setControlId(clip(msh.controlId(), 64));
            r.setHl7Version(clip(msh.version(), 16));
        }
        return r;
    }

    private static Hl7Rejection fromHapi(HL7Exception e) {
        ErrorCode code = e.getError() == null || e.getError() == ErrorCode.MESSAGE_ACCEPTED ? ErrorCode.DATA_TYPE_ERROR : e.getError();
        Location l = e.getLocation();
        ErrorLocation at = l == null || l.getSegmentName() == null ? null
                : new ErrorLocation(l.getSegmentName(), Math.max(1, l.getSegmentRepetition()), Math.max(0, l.getField()), Math.max(0, l.getComponent()));
        return Hl7Rejection.error(code, at, "the message could not be parsed: " + e.getMessageWithoutLocation());
    }

    /**
     * An exception described without its message: database errors quote the row values they failed
     * on (patient identifiers, names), which must not reach the log. The full exception is at DEBUG.
     */
    private static String cause(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            b.append(" <- ").append(t.getClass().getSimpleName());
            if (t instanceof java.sql.SQLException sql) b.append(" (SQLState ").append(sql.getSQLState()).append(')');
        }
        return b.toString();
    }

    private static ZoneId zone(FacilityConfig f) {
        try {
            return ZoneId.of(f.timeZone());
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }

    private static boolean accessionFromFiller(FacilityConfig f) {
        return f.hl7() != null && "filler-order-number".equals(f.hl7().accessionFrom());
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** The record's short JSON summary: what was asked and done, ids and codes only, no clinical text. */
    private static final class Summary {
        private final StringBuilder b = new StringBuilder(160);
        private int orders;
        private final List<String> notes = new ArrayList<>(1);

        Summary(String type) {
            b.append("{\"type\":").append(q(type));
        }

        void order(IncomingOrder io, ImagingOrder o, String event) {
            b.append(orders++ == 0 ? ",\"orders\":[" : ",");
            b.append("{\"id\":").append(o.getId()).append(",\"control\":").append(q(io.control()))
                    .append(",\"event\":").append(q(event)).append(",\"placer\":").append(q(o.getPlacerOrderNumber()))
                    .append(",\"accession\":").append(q(o.getAccessionNumber())).append(",\"procedure\":").append(q(o.getProcedureCode()))
                    .append(",\"priority\":").append(q(o.getPriority().name())).append('}');
        }

        void note(String n) {
            notes.add(n);
        }

        String json() {
            if (orders > 0) b.append(']');
            if (!notes.isEmpty()) {
                b.append(",\"notes\":[");
                for (int i = 0; i < notes.size(); i++) b.append(i > 0 ? "," : "").append(q(notes.get(i)));
                b.append(']');
            }
            return b.append('}').toString();
        }

        private static String q(String s) {
            if (s == null) return "null";
            StringBuilder out = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') out.append('\\').append(c);
                else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                else out.append(c);
            }
            return out.append('"').toString();
        }
    }
}
