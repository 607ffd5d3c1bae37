package org.radloop.ingest;

import java.time.Instant;
import org.hibernate.Session;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
import org.radloop.model.ForwardingTask;
import org.radloop.model.Instance;
import org.radloop.model.PriorSearch;
import org.radloop.model.Study;
import org.radloop.model.StudyPrior;

/**
 * What an indexed instance owes the facility's PACS, written inside the indexer's transaction so
 * that it is durable exactly when the instance is acknowledged: a forwarding task per new instance
 * version ({@code forwardInstances}) and, for a new study, a prior search ({@code fetchPriors}).
 * Nothing here talks to the PACS; the forward-to-pacs and prior-fetch routes do that later, so a
 * slow or absent PACS never slows or fails a modality's C-STORE.
 */
public final class PacsFollowUps {

    private final FacilityRegistry facilities;

    public PacsFollowUps(FacilityRegistry facilities) {
        this.facilities = facilities;
    }

    /**
     * Whether a study that is just being created is one RadLoop asked a PACS to move as a prior: its
     * instances then arrive like any other C-STORE, but must not start an exam of their own.
     */
    public boolean isRequestedPrior(Session s, String studyInstanceUid) {
        return s.createSelectionQuery("select count(p) from StudyPrior p where p.priorStudyUid = :u and p.state in (:st)",
                        Long.class)
                .setParameter("u", studyInstanceUid)
                .setParameterList("st", java.util.List.of(StudyPrior.State.RETRIEVING, StudyPrior.State.RETRIEVED))
                .getSingleResult() > 0;
    }

    /** Records the follow-ups of one newly stored instance version. Call inside the indexing transaction. */
    public void instanceIndexed(Session s, Study study, Instance instance, boolean studyCreated, Instant now) {
        FacilityConfig.Pacs pacs = facilities.byId(study.getFacilityId())
                .flatMap(f -> f.config().pacs()).orElse(null);
        if (pacs == null || study.getState() == Study.State.PRIOR) return;
        // What the PACS sent us (priors it moved, or a PACS that also pushes) is not sent back to it.
        if (pacs.forwards() && !pacs.isCalledBy(instance.getCallingAeTitle())) {
            s.persist(new ForwardingTask(study.getFacilityId(), study.getId(), instance, pacs.aeTitle().trim(), now));
        }
        if (studyCreated && pacs.fetchesPriors() && pacs.priorsWanted() > 0 && study.getDicomPatientId() != null && !study.getDicomPatientId().isBlank()) {
            s.persist(new PriorSearch(study.getFacilityId(), study.getId(), now));
        }
    }
}
