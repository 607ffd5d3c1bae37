package org.radloop.api;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.radloop.delivery.DeliveryStage;
import org.radloop.model.Delivery;
import org.radloop.model.Store;

/**
 * Where each approved report stands on each of its facility's delivery channels, and a resend, for
 * analysts and the console (bearer token required):
 * <ul>
 *   <li>{@code GET /api/deliveries?report=&state=&facility=&channel=&limit=}: newest first;</li>
 *   <li>{@code GET /api/deliveries/{id}}: one delivery;</li>
 *   <li>{@code POST /api/deliveries/{id}/resend}: PENDING again with fresh attempts (202); 409 while
 *       an attempt is in progress. A DELIVERED one is sent again too (e.g. the RIS lost it).</li>
 * </ul>
 */
final class DeliveryApi {

    static final Set<String> LIST_PARAMETERS = Set.of("report", "state", "facility", "channel", "limit");

    private final Store store;
    private final DeliveryStage stage;

    DeliveryApi(Store store, DeliveryStage stage) {
        this.store = store;
        this.stage = stage;
    }

    static void serve(ApiRoutes routes, Store store, DeliveryStage stage, ApiToken token) {
        DeliveryApi api = new DeliveryApi(store, stage);
        routes.serve("api-deliveries", "/api/deliveries", new JsonEndpoint(Set.of("GET"), token, api::list));
        routes.serve("api-delivery", "/api/deliveries/{id}", new JsonEndpoint(Set.of("GET"), token, api::one));
        routes.serve("api-delivery-resend", "/api/deliveries/{id}/resend", new JsonEndpoint(Set.of("POST"), token, api::resend));
    }

    Object list(JsonEndpoint.ApiRequest request) {
        QueryParameters q = request.query(LIST_PARAMETERS);
        StringBuilder hql = new StringBuilder("from Delivery where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (q.text("report") != null) {
            hql.append(" and reportId = :report");
            params.put("report", q.text("report"));
        }
        Delivery.State state = q.choice("state", Delivery.State.class);
        if (state != null) {
            hql.append(" and state = :state");
            params.put("state", state);
        }
        if (q.text("facility") != null) {
            hql.append(" and facilityId = :facility");
            params.put("facility", q.text("facility"));
        }
        if (q.text("channel") != null) {
            hql.append(" and channel = :channel");
            params.put("channel", q.text("channel"));
        }
        hql.append(" order by createdAt desc, id desc");
        int limit = q.integer("limit", 100, 1, 1000);
        List<Map<String, Object>> rows = store.fromTransaction(s -> {
            var query = s.createQuery(hql.toString(), Delivery.class);
            params.forEach(query::setParameter);
            return query.setMaxResults(limit).list().stream().map(DeliveryApi::view).toList();
        });
        return Map.of("count", rows.size(), "deliveries", rows);
    }

    Object one(JsonEndpoint.ApiRequest request) {
        request.query(Set.of());
        long id = request.idParameter("id");
        Delivery d = store.fromTransaction(s -> s.find(Delivery.class, id));
        if (d == null) throw ApiProblem.notFound("no delivery " + id);
        return view(d);
    }

    Object resend(JsonEndpoint.ApiRequest request) {
        request.query(Set.of());
        long id = request.idParameter("id");
        try {
            return JsonEndpoint.Reply.json(202, view(stage.resend(id, "api")));
        } catch (NoSuchElementException e) {
            throw ApiProblem.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiProblem(409, "conflict", e.getMessage());
        }
    }

    static Map<String, Object> view(Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.getId());
        m.put("report", d.getReportId());
        m.put("version", d.getReportVersion());
        m.put("facility", d.getFacilityId());
        m.put("channel", d.getChannel());
        m.put("channelType", d.getChannelType());
        m.put("state", d.getState());
        m.put("attempts", d.getAttempts());
        m.put("resendCount", d.getResendCount());
        m.put("lastError", d.getLastError());
        m.put("remoteReference", d.getRemoteReference());
        m.put("messageId", d.getMessageRecordId());
        m.put("createdAt", d.getCreatedAt());
        m.put("updatedAt", d.getUpdatedAt());
        m.put("nextAttemptAt", d.getNextAttemptAt());
        m.put("lastAttemptAt", d.getLastAttemptAt());
        m.put("deliveredAt", d.getDeliveredAt());
        return m;
    }
}
