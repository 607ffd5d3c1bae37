package org.radloop.delivery;

import org.junit.jupiter.api.BeforeAll;

/** The closed loop of critical results on the embedded H2 database. */
class CriticalResultLoopH2Test extends CriticalResultLoop {

    @BeforeAll
    static void start() throws Exception {
        startEngine(null);
    }
}
