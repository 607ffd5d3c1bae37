package org.radloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code radloop}: the one command an operator or analyst uses. */
@Command(name = "radloop",
        mixinStandardHelpOptions = true,
        version = "RadLoop 0.1.0",
        description = "RadLoop, a radiology operating system: ingest, triage, route, report, check, deliver, improve.",
        subcommands = {StartCommand.class, TestCommand.class, ConfigCommand.class, MessagesCommand.class, ModelsCommand.class,
                LearnCommand.class, DemoCommand.class})
public final class RadLoopCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        int code = new CommandLine(new RadLoopCommand()).execute(args);
        if (code != 0 || !StartCommand.isServing()) System.exit(code);
    }
}
