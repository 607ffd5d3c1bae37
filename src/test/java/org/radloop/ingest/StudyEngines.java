package org.radloop.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.stream.Stream;
import org.radloop.config.RadLoopSettings;
import org.radloop.engine.RadLoopEngine;
import org.radloop.model.Study;
import org.radloop.support.TestEngine;

/**
 * A real engine for the study tests: the project's code and settings, a clock the test moves, and
 * copies of conf/ and of this stage's routes in the test's folder. The copies let a test edit a
 * facility file, and keep other stages' consumers (of radloop.triage, say) from taking the messages
 * these tests look for.
 */
final class StudyEngines {

    static final String[] ROUTES = {"study-completion.yaml", "ingest-orders.yaml"};

    private StudyEngines() {
    }

    static Properties settings(Path folder) throws IOException {
        Properties p = TestEngine.settings(folder.resolve("data"));
        Path routes = Files.createDirectories(folder.resolve("routes"));
        for (String r : ROUTES) {
            Files.copy(TestEngine.projectHome().resolve("routes").resolve(r), routes.resolve(r),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        p.setProperty("radloop.routes.dir", routes.toString());
        Path conf = folder.resolve("conf");
        TestEngine.copyTree(TestEngine.projectHome().resolve("conf"), conf);
        p.setProperty("radloop.conf.dir", conf.toString());
        p.setProperty("radloop.study.completion.sweep.ms", "200");
        return p;
    }

    static RadLoopEngine start(Properties settings, MutableClock clock) throws Exception {
        return new RadLoopEngine(RadLoopSettings.of(TestEngine.projectHome(), settings)).clock(clock).start();
    }

    static Study study(RadLoopEngine engine, String uid) {
        return engine.store().fromTransaction(s -> s.createQuery("from Study where studyInstanceUid = :u", Study.class)
                .setParameter("u", uid).uniqueResult());
    }
}
