package org.radloop.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.query.Query;
import org.radloop.model.MessageRecord;
import org.radloop.model.Store;

/**
 * Finds stored messages for an analyst: which came from where, of what type, in what state, when.
 * A list shows summaries only; the raw payload (which carries patient data) is returned only when
 * one message is asked for by id.
 */
final class MessageSearch {

    static final Set<String> LIST_PARAMETERS = Set.of("facility", "type", "state", "direction", "channel", "from", "to", "limit", "offset");
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    record Filter(String facility, String type, MessageRecord.State state, MessageRecord.Direction direction,
                  String channel, Instant from, Instant to, int limit, int offset) {

        static Filter from(QueryParameters q) {
            Instant from = q.instant("from");
            Instant to = q.instant("to");
            if (from != null && to != null && to.isBefore(from)) {
                throw ApiProblem.badRequest("parameter 'to' (" + to + ") is before 'from' (" + from + ")");
            }
            return new Filter(q.text("facility"), q.text("type"), q.choice("state", MessageRecord.State.class),
                    q.choice("direction", MessageRecord.Direction.class), q.text("channel"), from, to,
                    q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), q.integer("offset", 0, 0, Integer.MAX_VALUE));
        }
    }

    /** One line of a search result: what and where, never the content. */
    record Summary(long id, String direction, String channel, String facility, String type, String controlId,
                   String state, String ackCode, String errorCode, int sizeBytes, Instant receivedAt,
                   Instant processedAt, Long orderId, Long replayOf) {
        /** The columns {@link #of(Object[])} reads, in order: the payload is never loaded for a list. */
        static final String COLUMNS = "m.id, m.direction, m.channel, m.facilityId, m.messageType, m.controlId, m.state,"
                + " m.ackCode, m.errorCode, m.sizeBytes, m.receivedAt, m.processedAt, m.orderId, m.replayOfId";

        static Summary of(Object[] r) {
            return new Summary((Long) r[0], ((MessageRecord.Direction) r[1]).name(), (String) r[2], (String) r[3],
                    (String) r[4], (String) r[5], ((MessageRecord.State) r[6]).name(), (String) r[7], (String) r[8],
                    (Integer) r[9], (Instant) r[10], (Instant) r[11], (Long) r[12], (Long) r[13]);
        }
    }

    record Page(long total, int limit, int offset, List<Summary> messages) {
    }

    record Error(String code, String location, String text) {
    }

    record Links(Long order, Long patient, Long replayOf, List<Long> replays) {
    }

    record Detail(long id, String direction, String channel, String facility, String type, String controlId,
                  String hl7Version, String charset, String state, String ackCode, Error error, int sizeBytes,
                  String remoteAddress, Instant receivedAt, Instant processedAt, Object summary, Links links,
                  String raw) {
    }

    private final Store store;

    MessageSearch(Store store) {
        this.store = store;
    }

    Page search(Filter f) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (f.facility() != null) { where.append(" and m.facilityId = :facility"); params.put("facility", f.facility()); }
        if (f.type() != null) { where.append(" and m.messageType = :type"); params.put("type", f.type()); }
        if (f.state() != null) { where.append(" and m.state = :state"); params.put("state", f.state()); }
        if (f.direction() != null) { where.append(" and m.direction = :direction"); params.put("direction", f.direction()); }
        if (f.channel() != null) { where.append(" and m.channel = :channel"); params.put("channel", f.channel()); }
        if (f.from() != null) { where.append(" and m.receivedAt >= :from"); params.put("from", f.from()); }
        if (f.to() != null) { where.append(" and m.receivedAt < :to"); params.put("to", f.to()); }
        return store.fromTransaction(s -> {
            Query<Long> count = s.createQuery("select count(m) from MessageRecord m" + where, Long.class);
            params.forEach(count::setParameter);
            Query<Object[]> rows = s.createQuery("select " + Summary.COLUMNS + " from MessageRecord m" + where
                    + " order by m.receivedAt desc, m.id desc", Object[].class);
            params.forEach(rows::setParameter);
            rows.setFirstResult(f.offset()).setMaxResults(f.limit());
            List<Summary> page = new ArrayList<>();
            for (Object[] r : rows.getResultList()) page.add(Summary.of(r));
            return new Page(count.getSingleResult(), f.limit(), f.offset(), page);
        });
    }

    Detail detail(long id) {
        return store.fromTransaction(s -> {
            MessageRecord m = s.find(MessageRecord.class, id);
            if (m == null) throw ApiProblem.notFound("no message with id " + id);
            List<Long> replays = s.createQuery("select r.id from MessageRecord r where r.replayOfId = :id order by r.id", Long.class)
                    .setParameter("id", id).getResultList();
            Error error = m.getErrorCode() == null && m.getErrorText() == null ? null
                    : new Error(m.getErrorCode(), m.getErrorLocation(), m.getErrorText());
            return new Detail(m.getId(), m.getDirection().name(), m.getChannel(), m.getFacilityId(), m.getMessageType(),
                    m.getControlId(), m.getHl7Version(), m.getCharset(), m.getState().name(), m.getAckCode(), error,
                    m.getSizeBytes(), m.getRemoteAddress(), m.getReceivedAt(), m.getProcessedAt(),
                    ApiJson.readStored(m.getSummary()),
                    new Links(m.getOrderId(), m.getPatientId(), m.getReplayOfId(), replays), m.getRawPayload());
        });
    }

    boolean exists(long id) {
        return store.fromTransaction(s -> s.find(MessageRecord.class, id) != null);
    }
}
