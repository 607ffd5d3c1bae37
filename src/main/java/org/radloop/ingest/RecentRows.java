package org.radloop.ingest;

import jakarta.persistence.LockModeType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.Session;
import org.radloop.model.Series;
import org.radloop.model.Study;

/**
 * The row ids of the studies and series that received instances lately, by UID. A series arrives as
 * hundreds of instances in a row, and each one used to look its study and series up by UID (two
 * queries through Hibernate's query engine); with the id known, it loads them by primary key. An id
 * is only a hint: a row that is not there (its transaction rolled back) or has another UID is ignored
 * and the caller queries by UID as before. Studies and series are never deleted.
 */
final class RecentRows {
    private static final int KEEP = 512;

    private final Map<String, Long> studies = lru();
    private final Map<String, Long> series = lru();

    private static Map<String, Long> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > KEEP;
            }
        };
    }

    /** The study with this UID, locked for update as the by-UID query locks it; null if not known here. */
    Study study(Session s, String uid) {
        Long id = get(studies, uid);
        if (id == null) return null;
        Study study = s.find(Study.class, id, LockModeType.PESSIMISTIC_WRITE);
        return study != null && uid.equals(study.getStudyInstanceUid()) ? study : null;
    }

    Series series(Session s, String uid) {
        Long id = get(series, uid);
        if (id == null) return null;
        Series found = s.find(Series.class, id);
        return found != null && uid.equals(found.getSeriesInstanceUid()) ? found : null;
    }

    void rememberStudy(Study study) {
        put(studies, study.getStudyInstanceUid(), study.getId());
    }

    void rememberSeries(Series s) {
        put(series, s.getSeriesInstanceUid(), s.getId());
    }

    private static Long get(Map<String, Long> map, String uid) {
        synchronized (map) {
            return map.get(uid);
        }
    }

    private static void put(Map<String, Long> map, String uid, Long id) {
        if (id == null) return;
        synchronized (map) {
            map.put(uid, id);
        }
    }
}
