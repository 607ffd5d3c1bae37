package org.radloop.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A FHIR R4 server for a test: HAPI's {@link RestfulServer} in an embedded Jetty, with a transaction
 * operation that does what a FHIR server does with RadLoop's bundle: conditional create on
 * If-None-Exist (identifier search), conditional update on a PUT with a search URL, urn:uuid
 * references rewritten to the assigned ids. Resources are kept in memory as the server parsed them
 * from the wire. It can be told to answer 503 (busy) or 422 (refused) instead.
 */
public final class FhirPeer implements AutoCloseable {

    private final Server jetty;
    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final AtomicInteger transactions = new AtomicInteger();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile int failWith;
    private volatile String lastAuthorization;

    private FhirPeer() throws Exception {
        RestfulServer restful = new RestfulServer(FhirContext.forR4Cached());
        restful.registerProvider(this);
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler ctx = new ServletContextHandler("/");
        ctx.addServlet(new ServletHolder(restful), "/fhir/*");
        jetty.setHandler(ctx);
        jetty.start();
    }

    public static FhirPeer start() throws Exception {
        return new FhirPeer();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/fhir";
    }

    /** 0 answers normally; 503 or 422 makes every transaction fail with that status. */
    public void failWith(int status) {
        this.failWith = status;
    }

    /** The Authorization header of the last transaction (null when none was sent). */
    public String lastAuthorization() {
        return lastAuthorization;
    }

    /** Transactions accepted (answered 200). */
    public int transactions() {
        return transactions.get();
    }

    public synchronized <T extends Resource> List<T> all(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Resource r : resources.values()) if (type.isInstance(r)) out.add(type.cast(r));
        return out;
    }

    @Transaction
    public synchronized Bundle transaction(@TransactionParam Bundle in, jakarta.servlet.http.HttpServletRequest request) {
        lastAuthorization = request.getHeader("Authorization");
        if (failWith == 503) throw new UnclassifiedServerFailureException(503, "busy, try later");
        if (failWith == 422) throw new UnprocessableEntityException("Patient identifier system is not known here");
        Map<String, String> ids = new HashMap<>();
        Bundle out = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        List<Resource> toStore = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : in.getEntry()) {
            Resource r = e.getResource();
            String type = r.fhirType();
            String condition = e.getRequest().getMethod() == Bundle.HTTPVerb.POST ? e.getRequest().getIfNoneExist()
                    : e.getRequest().getUrl().substring(e.getRequest().getUrl().indexOf('?') + 1);
            Resource existing = byIdentifier(type, condition.substring(condition.indexOf('=') + 1));
            String status;
            if (existing != null && e.getRequest().getMethod() == Bundle.HTTPVerb.POST) {
                ids.put(e.getFullUrl(), type + "/" + existing.getIdElement().getIdPart());
                status = "200 OK";
            } else {
                String id = existing != null ? existing.getIdElement().getIdPart() : Integer.toString(nextId.getAndIncrement());
                int version = existing == null ? 1 : Integer.parseInt(existing.getMeta().getVersionId()) + 1;
                r.setId(type + "/" + id);
                r.getMeta().setVersionId(Integer.toString(version));
                ids.put(e.getFullUrl(), type + "/" + id);
                toStore.add(r);
                status = existing == null ? "201 Created" : "200 OK";
            }
            String location = ids.get(e.getFullUrl()) + "/_history/"
                    + (resources.containsKey(ids.get(e.getFullUrl())) && !toStore.contains(r)
                    ? resources.get(ids.get(e.getFullUrl())).getMeta().getVersionId() : r.getMeta().getVersionId());
            out.addEntry().getResponse().setStatus(status).setLocation(location);
        }
        FhirContext ctx = FhirContext.forR4Cached();
        for (Resource r : toStore) {
            for (Reference ref : ctx.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class)) {
                if (ref.getReference() != null && ids.containsKey(ref.getReference())) ref.setReference(ids.get(ref.getReference()));
            }
            resources.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
        }
        transactions.incrementAndGet();
        return out;
    }

    private Resource byIdentifier(String type, String token) {
        String system = token.substring(0, token.indexOf('|'));
        String value = token.substring(token.indexOf('|') + 1);
        FhirContext ctx = FhirContext.forR4Cached();
        for (Resource r : resources.values()) {
            if (!r.fhirType().equals(type)) continue;
            for (Identifier id : ctx.newTerser().getAllPopulatedChildElementsOfType(r, Identifier.class)) {
                if (system.equals(id.getSystem()) && value.equals(id.getValue())) return r;
            }
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
