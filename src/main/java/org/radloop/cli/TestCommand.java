package org.radloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Runs RadLoop's whole test suite (mvn -B verify) against real peers on this machine: HL7 over MLLP, the embedded broker, H2 and the local PostgreSQL, DICOM peers. The ./radloop launcher installs what the tests need before it runs them.")
final class TestCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        return new ProcessBuilder("mvn", "-B", "verify").inheritIO().start().waitFor();
    }
}
