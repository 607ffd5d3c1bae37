package org.radloop.learning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.radloop.config.RadLoopSettings;
import org.radloop.config.SchemaValidator;
import org.radloop.model.AiFinding;
import org.radloop.model.Facility;
import org.radloop.model.Store;
import org.radloop.support.TestEngine;
import org.radloop.triage.ClinicalRules;
import org.radloop.triage.ModelRegistry;
import org.radloop.triage.OrderFacts;
import org.radloop.triage.PriorityPolicy;
import org.radloop.triage.StudyFacts;
import org.radloop.triage.StudyTriage;
import org.radloop.triage.TriageDecision;
import org.radloop.triage.TriageLexicon;
import org.radloop.triage.TriageRecorder;
import org.radloop.triage.demo.DemoModelBuilder;
import org.radloop.triage.demo.PhantomSeries;

/**
 * A small RadLoop of the test's own: conf (the project's schemas, a CT head bleed model built from
 * phantoms), an H2 store, the real model registry and triage, and simulated radiologists who know
 * each phantom's truth and sign with verdicts. Phantoms are 8 slices of 64 x 64 so a batch of 40
 * studies is triaged in a few seconds.
 */
final class LearningFixture implements AutoCloseable {

    static final String MODEL = DemoModelBuilder.CT_HEAD_BLEED;
    static final String FACILITY = "test-hospital";
    static final int SLICES = 8;
    static final int SIZE = 64;
    /** Instance numbers the phantom bleed crosses in an 8-slice series (PhantomSeries.writeCtHead). */
    static final List<Integer> BLEED_SLICES = List.of(3, 4, 5, 6);

    final Path home;
    final Path data;
    final Path modelsDir;
    final Store store;
    final ModelRegistry registry;
    final Learning learning;
    final StudyTriage triage;
    final TriageRecorder recorder;
    final String facility;
    private final boolean owned;
    private int reports;

    /** One phantom study: its files and its truth. */
    record PhantomStudy(String studyUid, String seriesUid, List<Path> files, boolean bleed) {
    }

    /**
     * @param trainCases cases the model in service was trained on (few: deliberately weak)
     * @param learningYaml the model YAML's learning section for this test
     */
    LearningFixture(Path home, int trainCases, int epochs, String learningYaml) throws IOException {
        this(home, trainCases, epochs, learningYaml, null);
    }

    /** @param storeUrl a JDBC URL (PostgreSQL), or null for H2 in the data folder */
    LearningFixture(Path home, int trainCases, int epochs, String learningYaml, String storeUrl) throws IOException {
        this.home = home;
        this.data = home.resolve("data");
        this.modelsDir = home.resolve("conf/models");
        TestEngine.copyTree(TestEngine.projectHome().resolve("conf/schemas"), home.resolve("conf/schemas"));
        new DemoModelBuilder().buildCtHeadBleed(data.resolve("models"), modelsDir,
                new DemoModelBuilder.Options(trainCases, 100, SIZE, 20_240_601L, epochs));
        Path yaml = modelsDir.resolve(MODEL + ".yaml");
        String text = Files.readString(yaml);
        text = text.substring(0, text.indexOf("# The learning loop")) + learningYaml;
        Files.writeString(yaml, text);
        Properties p = new Properties();
        p.setProperty("radloop.data.dir", data.toString());
        p.setProperty("radloop.conf.dir", home.resolve("conf").toString());
        RadLoopSettings settings = RadLoopSettings.of(home, p);
        store = storeUrl == null ? Store.open(Store.embeddedUrl(data), "sa", "", 4) : Store.open(storeUrl, null, null, 4);
        store.inTransaction(s -> s.persist(new Facility(FACILITY, "Test Hospital", "UTC")));
        SchemaValidator validator = new SchemaValidator(home.resolve("conf/schemas"));
        registry = new ModelRegistry(modelsDir, data, validator, 1, Duration.ofSeconds(30), null);
        if (!registry.reload().isEmpty()) throw new IllegalStateException("test model YAML refused: " + registry.refused());
        learning = new Learning(settings, store, registry, null, Clock.systemUTC());
        triage = new StudyTriage(registry, new ClinicalRules(TriageLexicon.read(
                new SchemaValidator(TestEngine.projectHome().resolve("conf/schemas")),
                TestEngine.projectHome().resolve("mappings/triage-lexicon.yaml"))), new PriorityPolicy());
        recorder = new TriageRecorder(store);
        facility = FACILITY;
        owned = true;
    }

    /** The same simulated radiologists and phantoms, against a running engine's store, models and learning stage. */
    LearningFixture(Path home, Store store, ModelRegistry registry, Learning learning, String facility) {
        this.home = home;
        this.data = null;
        this.modelsDir = null;
        this.store = store;
        this.registry = registry;
        this.learning = learning;
        this.facility = facility;
        this.triage = new StudyTriage(registry, new ClinicalRules(TriageLexicon.read(
                new SchemaValidator(TestEngine.projectHome().resolve("conf/schemas")),
                TestEngine.projectHome().resolve("mappings/triage-lexicon.yaml"))), new PriorityPolicy());
        this.recorder = new TriageRecorder(store);
        this.owned = false;
    }

    /**
     * A conf folder for an engine: the project's conf with the CT head model replaced by a weak one
     * built from {@code trainCases} phantoms (ONNX under {@code data}), with the given learning section.
     */
    static Path engineConf(Path home, Path data, int trainCases, int epochs, String learningYaml) throws IOException {
        Path conf = home.resolve("conf");
        TestEngine.copyTree(TestEngine.projectHome().resolve("conf"), conf);
        Files.deleteIfExists(conf.resolve("models/" + DemoModelBuilder.CHEST_PNEUMOTHORAX + ".yaml"));
        new DemoModelBuilder().buildCtHeadBleed(data.resolve("models"), conf.resolve("models"),
                new DemoModelBuilder.Options(trainCases, 100, SIZE, 20_240_601L, epochs));
        Path yaml = conf.resolve("models/" + MODEL + ".yaml");
        String text = Files.readString(yaml);
        Files.writeString(yaml, text.substring(0, text.indexOf("# The learning loop")) + learningYaml);
        return conf;
    }

    /**
     * A phantom study whose UIDs follow from its seed. The learning loop splits training from hold-out
     * by a hash of the Study Instance UID, so with PhantomSeries' random UIDs every run drew another
     * split and the promotion tests passed or failed by chance; with these, a run is repeatable.
     */
    PhantomStudy phantom(long seed, boolean bleed) throws IOException {
        String study = PhantomSeries.uid("study-" + seed), series = PhantomSeries.uid("series-" + seed);
        List<Path> files = PhantomSeries.writeCtHead(home.resolve("studies/" + seed), seed, SLICES, SIZE, bleed, study, series);
        return new PhantomStudy(study, series, files, bleed);
    }

    List<PhantomStudy> batch(long firstSeed, int n) throws IOException {
        List<PhantomStudy> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(phantom(firstSeed + i, i % 2 == 0));
        return out;
    }

    TriageDecision triage(PhantomStudy s) {
        TriageDecision d = triage.triage(facts(facility, s), Instant.now());
        recorder.record(facility, s.studyUid(), d, Instant.now());
        return d;
    }

    static StudyFacts facts(String facility, PhantomStudy s) {
        return new StudyFacts(facility, "CT", "HEAD", List.of("CT HEAD WITHOUT CONTRAST"), s.files(),
                new OrderFacts("ROUTINE", "O", null, "headache", List.of()), Instant.now(), null);
    }

    AiFinding bleedFinding(String studyUid) {
        return store.fromTransaction(x -> x.createQuery("from AiFinding where studyUid = :u and label = 'bleed' order by id desc",
                AiFinding.class).setParameter("u", studyUid).setMaxResults(1).uniqueResult());
    }

    /**
     * A radiologist reads the study and signs: confirms a true flag, rejects a false one, adds a
     * missed bleed on the slices it is on, and leaves a correct "nothing seen" alone.
     * {@code believes} is what the radiologist thinks is there (the truth, unless the test wants a bad teacher).
     */
    LabelCapture.Captured sign(PhantomStudy s, boolean believes) {
        AiFinding f = bleedFinding(s.studyUid());
        List<LabelCapture.FindingVerdict> verdicts = new ArrayList<>();
        List<LabelCapture.MissedFinding> missed = new ArrayList<>();
        if (f.isPositive()) {
            // A confirmed bleed is marked where it is (the radiologist's slices, not the AI's).
            verdicts.add(believes
                    ? new LabelCapture.FindingVerdict(f.getId(), org.radloop.model.TrainingLabel.Verdict.CONFIRMED, BLEED_SLICES)
                    : new LabelCapture.FindingVerdict(f.getId(), org.radloop.model.TrainingLabel.Verdict.REJECTED));
        } else if (believes) {
            missed.add(new LabelCapture.MissedFinding("bleed", s.seriesUid(), BLEED_SLICES, null));
        }
        return learning.capture().record(new LabelCapture.Signing(facility, s.studyUid(), "report-" + (++reports), "dr-test",
                verdicts, missed, List.of(), Map.of(s.seriesUid(), s.files())));
    }

    /** Triage and sign every study with the truth. */
    void triageAndSign(List<PhantomStudy> studies) {
        for (PhantomStudy s : studies) {
            triage(s);
            sign(s, s.bleed());
        }
    }

    long count(String hql) {
        Long n = store.fromTransaction(x -> x.createQuery(hql, Long.class).uniqueResult());
        return n;
    }

    <T> List<T> list(String hql, Class<T> type) {
        List<T> rows = store.fromTransaction(x -> x.createQuery(hql, type).list());
        return rows;
    }


    @Override
    public void close() {
        if (!owned) return;
        learning.close();
        registry.close();
        store.close();
    }
}
