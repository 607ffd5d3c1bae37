package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.model.Instance;
import org.radloop.model.QuarantinedInstance;
import org.radloop.model.Series;
import org.radloop.model.Study;

/**
 * Indexing stored instances into studies, series and instances. {@link StudyIndexingH2Test} runs these
 * on the embedded H2 store, {@link StudyIndexingPostgresTest} on PostgreSQL.
 */
abstract class StudyIndexingTest {

    @TempDir
    static Path folder;

    static RadLoopEngine engine;
    static ScpStandIn scp;

    /** Starts the engine with these settings on top of the defaults; called once per concrete class. */
    static void startWith(Properties extra) throws Exception {
        Properties p = StudyEngines.settings(folder);
        p.putAll(extra);
        engine = StudyEngines.start(p, new MutableClock(Instant.parse("2026-03-02T09:00:00Z")));
        scp = new ScpStandIn(engine);
    }

    static void stopEngine() {
        if (engine != null) engine.close();
        engine = null;
    }

    @Test
    void indexesSeriesAndInstancesWithCountsSizesAndTransferSyntax() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("in"))
                .accession("IDX-1").patient("MRN-IDX-1", "Doe^Jane^Q", "F", "19700102");
        String ctSeries = DicomSamples.uid();
        String mrSeries = DicomSamples.uid();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 3; i++) files.add(b.instance(DicomSamples.CT, ctSeries, i));
        files.add(b.instance(DicomSamples.MR, mrSeries, DicomSamples.uid(), 1, TransferSyntax.ImplicitVRLittleEndian, Map.of()));
        files.add(b.instance(DicomSamples.MR, mrSeries, DicomSamples.uid(), 2, TransferSyntax.ImplicitVRLittleEndian, Map.of()));
        long bytes = 0;
        for (Path f : files) {
            Exchange e = scp.storeOk(f, "STM_CT1");
            assertThat(e.getMessage().getHeader("RadLoopIndexOutcome")).isEqualTo("NEW");
            bytes += Files.size(f);
        }

        Study study = StudyEngines.study(engine, b.studyUid);
        assertThat(study.getFacilityId()).isEqualTo("st-marys");
        assertThat(study.getState()).isEqualTo(Study.State.RECEIVING);
        assertThat(study.getSeriesCount()).isEqualTo(2);
        assertThat(study.getInstanceCount()).isEqualTo(5);
        assertThat(study.getTotalBytes()).isEqualTo(bytes);
        assertThat(study.getModalities()).containsExactly("CT", "MR");
        assertThat(study.getAccessionNumber()).isEqualTo("IDX-1");
        assertThat(study.getDicomPatientId()).isEqualTo("MRN-IDX-1");
        assertThat(study.getDicomPatientName()).isEqualTo("Doe^Jane^Q");
        assertThat(study.getDicomPatientSex()).isEqualTo("F");
        assertThat(study.getDicomBirthDate()).isEqualTo(LocalDate.of(1970, 1, 2));
        assertThat(study.getStudyDate()).isEqualTo(LocalDate.of(2004, 1, 19));
        assertThat(study.getStudyTime()).isEqualTo("072730");

        List<Series> series = engine.store().fromTransaction(s -> s.createQuery(
                "from Series where studyId = :id order by id", Series.class).setParameter("id", study.getId()).list());
        assertThat(series).extracting(Series::getSeriesInstanceUid).containsExactly(ctSeries, mrSeries);
        assertThat(series).extracting(Series::getInstanceCount).containsExactly(3, 2);
        assertThat(series.get(0).getModality()).isEqualTo("CT");
        assertThat(series.get(0).getTotalBytes()).isEqualTo(Files.size(files.get(0)) + Files.size(files.get(1)) + Files.size(files.get(2)));

        List<Instance> instances = instancesOf(study);
        assertThat(instances).hasSize(5).allMatch(Instance::isCurrent).allMatch(i -> i.getVersion() == 1);
        assertThat(instances).extracting(Instance::getTransferSyntaxUid).containsExactly(
                TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian,
                TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian);
        assertThat(instances.get(0).getSopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(instances.get(0).getSizeBytes()).isEqualTo(Files.size(files.get(0)));
        assertThat(instances.get(0).getSha256()).isEqualTo(DataSetDigest.sha256Hex(files.get(0)));
        assertThat(instances.get(0).getFilePath()).isEqualTo(files.get(0).toAbsolutePath().toString());
        assertThat(instances).extracting(Instance::getInstanceNumber).containsExactly(1, 2, 3, 1, 2);
    }

    @Test
    void theSameInstanceTwiceChangesNothing() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("dup")).accession("IDX-2");
        String series = DicomSamples.uid();
        Path first = b.instance(DicomSamples.CT, series, 1);
        scp.storeOk(first, "STM_CT1");
        // The SCP stores a resend as a file of its own; the data set bytes are the same.
        Path resend = Files.copy(first, folder.resolve("dup").resolve("resend.dcm"));
        Exchange again = scp.storeOk(resend, "STM_CT1");

        assertThat(again.getMessage().getHeader("RadLoopIndexOutcome")).isEqualTo("DUPLICATE");
        Study study = StudyEngines.study(engine, b.studyUid);
        assertThat(study.getInstanceCount()).isEqualTo(1);
        assertThat(study.getTotalBytes()).isEqualTo(Files.size(first));
        assertThat(study.getFlags()).isEmpty();
        List<Instance> instances = instancesOf(study);
        assertThat(instances).hasSize(1);
        assertThat(instances.get(0).getFilePath()).isEqualTo(first.toAbsolutePath().toString());
    }

    @Test
    void aDifferentPayloadUnderTheSameUidIsKeptAsANewVersionAndFlagged() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("ver")).accession("IDX-3");
        String series = DicomSamples.uid();
        String sop = DicomSamples.uid();
        Path original = b.instance(DicomSamples.CT, series, sop, 1, TransferSyntax.ExplicitVRLittleEndian, Map.of());
        Path changed = b.instance(DicomSamples.CT, series, sop, 1, TransferSyntax.ExplicitVRLittleEndian,
                Map.of(TagFromName.SeriesDescription, "re-windowed at the console"));
        scp.storeOk(b.instance(DicomSamples.CT, series, 2), "STM_CT1");
        scp.storeOk(original, "STM_CT1");
        Exchange e = scp.storeOk(changed, "STM_CT1");

        assertThat(e.getMessage().getHeader("RadLoopIndexOutcome")).isEqualTo("NEW_VERSION");
        Study study = StudyEngines.study(engine, b.studyUid);
        assertThat(study.getInstanceCount()).as("only the current version counts").isEqualTo(2);
        assertThat(study.getFlags()).contains(Study.INSTANCE_REPLACED);
        assertThat(study.getFlagDetails().get(Study.INSTANCE_REPLACED)).contains(sop).contains("version 2");
        List<Instance> versions = engine.store().fromTransaction(s -> s.createQuery(
                "from Instance where sopInstanceUid = :u order by version", Instance.class).setParameter("u", sop).list());
        assertThat(versions).extracting(Instance::getVersion).containsExactly(1, 2);
        assertThat(versions).extracting(Instance::isCurrent).containsExactly(false, true);
        assertThat(versions).extracting(Instance::isPayloadChanged).containsExactly(false, true);
        assertThat(versions.get(0).getSha256()).isNotEqualTo(versions.get(1).getSha256());
        assertThat(versions.get(1).getFilePath()).isEqualTo(changed.toAbsolutePath().toString());
        long currentBytes = instancesOf(study).stream().filter(Instance::isCurrent).mapToLong(Instance::getSizeBytes).sum();
        assertThat(study.getTotalBytes()).isEqualTo(currentBytes);
    }

    @Test
    void severalAssociationsOfOneStudyAtOnceMakeOneStudy() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("conc")).accession("IDX-4");
        String series = DicomSamples.uid();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 24; i++) files.add(b.instance(DicomSamples.CT, series, i));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Exchange>> results = new ArrayList<>();
            for (Path f : files) results.add(pool.submit(() -> scp.store(f, "STM_CT1")));
            for (Future<Exchange> r : results) assertThat(r.get().getException()).isNull();
        } finally {
            pool.shutdownNow();
        }
        Study study = StudyEngines.study(engine, b.studyUid);
        assertThat(study.getInstanceCount()).isEqualTo(24);
        assertThat(study.getSeriesCount()).isEqualTo(1);
        assertThat(instancesOf(study)).hasSize(24);
        Long studies = engine.store().fromTransaction(s -> s.createQuery(
                "select count(*) from Study where studyInstanceUid = :u", Long.class).setParameter("u", b.studyUid).uniqueResult());
        assertThat(studies).isEqualTo(1);
    }

    @Test
    void indexesAFileWhosePixelDataIsCutShort() throws Exception {
        // MR_truncated.dcm ends 200 bytes into its pixel data (dcmdump: "larger than remaining bytes");
        // only the header matters to the index.
        Path copy = Files.copy(DicomSamples.MR_TRUNCATED, Files.createDirectories(folder.resolve("trunc")).resolve("t.dcm"));
        Exchange e = scp.storeOk(copy, "STM_MR1");
        String uid = e.getMessage().getHeader("RadLoopStudyInstanceUid", String.class);
        assertThat(uid).isEqualTo("1.3.6.1.4.1.5962.1.2.4.20040826185059.5457");
        assertThat(StudyEngines.study(engine, uid).getInstanceCount()).isEqualTo(1);
    }

    @Test
    void anUnknownSenderIsRefusedQuarantinedAndTheNextInstanceStillIndexed() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("unknown"));
        Path file = b.instance(DicomSamples.CT, DicomSamples.uid(), 1);
        Exchange refused = scp.store(file, "NOBODY_KNOWS_ME");
        assertThat(refused.getException()).isInstanceOf(InstanceRefusedException.class)
                .hasMessageContaining("NOBODY_KNOWS_ME");
        assertThat(StudyEngines.study(engine, b.studyUid)).isNull();
        List<QuarantinedInstance> q = engine.store().fromTransaction(s -> s.createQuery(
                "from QuarantinedInstance where callingAeTitle = 'NOBODY_KNOWS_ME'", QuarantinedInstance.class).list());
        assertThat(q).hasSize(1);
        assertThat(q.get(0).getState()).isEqualTo(QuarantinedInstance.State.QUARANTINED);
        assertThat(q.get(0).getReason()).contains("belongs to no configured facility");
        Path kept = Path.of(q.get(0).getFilePath());
        assertThat(kept).isNotEqualTo(file.toAbsolutePath());
        assertThat(Files.readAllBytes(kept)).isEqualTo(Files.readAllBytes(file));

        Path garbage = Files.writeString(folder.resolve("unknown").resolve("garbage.dcm"), "not DICOM at all");
        assertThat(scp.store(garbage, "STM_CT1").getException()).isInstanceOf(Exception.class);

        Path next = b.instance(DicomSamples.CT, DicomSamples.uid(), 2);
        scp.storeOk(next, "STM_CT1");
        assertThat(StudyEngines.study(engine, b.studyUid).getInstanceCount()).isEqualTo(1);
    }

    @Test
    void anInstanceTheScpQuarantinedItselfIsRecordedForTheAnalyst() {
        String sop = DicomSamples.uid();
        Exchange e = scp.refusedByScp("STM_CT1", sop, "data set truncated after 1200 bytes");
        assertThat(e.getException()).as("the SCP already chose the status; recording it must not fail").isNull();
        QuarantinedInstance q = engine.store().fromTransaction(s -> s.createQuery(
                "from QuarantinedInstance where sopInstanceUid = :u", QuarantinedInstance.class).setParameter("u", sop).uniqueResult());
        assertThat(q.getReason()).isEqualTo("data set truncated after 1200 bytes");
        assertThat(q.getCallingAeTitle()).isEqualTo("STM_CT1");
        assertThat(q.getState()).isEqualTo(QuarantinedInstance.State.QUARANTINED);
    }

    @Test
    void theAssociationPolicyAcceptsTheAeTitlesOfConfiguredFacilitiesCallingRadLoop() {
        FacilityAeTitles policy = engine.camel().getRegistry().lookupByNameAndType("facilityAeTitles", FacilityAeTitles.class);
        assertThat(policy.accepts("STM_CT1", "RADLOOP")).isTrue();
        assertThat(policy.accepts("NG_MR", "RADLOOP")).as("any configured facility").isTrue();
        assertThat(policy.accepts("stm_ct1 ", "RADLOOP")).as("as FacilityConfig compares: trimmed, any case").isTrue();
        assertThat(policy.accepts("EVIL", "RADLOOP")).isFalse();
        assertThat(policy.accepts("STM_CT1", "SOMEONE_ELSE")).isFalse();
        assertThat(policy.accepts(null, "RADLOOP")).isFalse();
    }

    static List<Instance> instancesOf(Study study) {
        return engine.store().fromTransaction(s -> s.createQuery(
                "from Instance where studyId = :id order by id", Instance.class).setParameter("id", study.getId()).list());
    }
}
