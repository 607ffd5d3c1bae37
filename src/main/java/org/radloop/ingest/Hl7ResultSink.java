package org.radloop.ingest;

import java.util.List;
import org.hibernate.Session;
import org.radloop.model.StageOutboxEntry;

/**
 * Where an inbound ORU^R01 goes once the HL7 stage has read it: the reporting stage, which makes it
 * the signed report of the case with that accession. Lets ingest accept results without knowing
 * what a report is.
 */
public interface Hl7ResultSink {

    /** Why this result cannot be taken (e.g. no case has the accession), or null when it can. Read-only. */
    String problem(String facilityId, InboundResult result);

    /**
     * Stores the result inside the HL7 message's transaction (so the ACK AA follows the commit) and
     * returns the stage messages to send once it has committed.
     */
    List<StageOutboxEntry> accept(Session s, String facilityId, InboundResult result, String actor);
}
