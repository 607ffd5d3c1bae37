package org.radloop.delivery;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.radloop.engine.RadLoopEngine;

/**
 * Builds the deliver stage for an engine: one sender per channel type, all sending through the
 * Kamelets of connectors/ in the engine's Camel context.
 */
public final class DeliveryWiring {

    private DeliveryWiring() {
    }

    /**
     * @param reports where signed reports are read; looked up on every message, so that it can be
     *                bound after the engine started (the reporting stage's bean "reportSource")
     */
    public static DeliveryStage stage(RadLoopEngine engine, Supplier<CamelContext> camel, Supplier<ReportSource> reports) {
        KameletCall kamelets = new KameletCall(camel);
        ReportPdf pdf = new ReportPdf(engine.facilities());
        Map<ChannelType, ReportChannel> channels = new EnumMap<>(ChannelType.class);
        channels.put(ChannelType.HL7_ORU, new Hl7OruChannel(kamelets, engine.clock()));
        channels.put(ChannelType.FHIR, new FhirChannel(kamelets, pdf));
        channels.put(ChannelType.SFTP_PDF, new SftpPdfChannel(kamelets, pdf));
        channels.put(ChannelType.EMAIL_PDF, new EmailPdfChannel(kamelets, pdf));
        channels.put(ChannelType.DICOM_PDF, new DicomPdfChannel(kamelets, pdf, engine.store(), engine.clock(),
                engine.settings().dataDir().resolve("delivery/dicom"), engine.settings().get("radloop.dicom.aet", "RADLOOP")));
        Duration lease = Duration.ofSeconds(engine.settings().getLong("radloop.delivery.sent.lease.seconds", 600));
        int threads = engine.settings().getInt("radloop.delivery.threads", 8);
        return new DeliveryStage(new DeliveryLedger(engine.store(), engine.clock()), engine.facilities(), reports, channels,
                new DeliveryAlerts(engine.metrics().registry(), camel), engine.clock(), lease, new Workers(camel, threads));
    }

    /** The stage's worker threads, made on first use by Camel, which shuts them down with the context. */
    private static final class Workers implements Supplier<Executor> {
        private final Supplier<CamelContext> camel;
        private final int threads;
        private volatile ExecutorService pool;

        Workers(Supplier<CamelContext> camel, int threads) {
            this.camel = camel;
            this.threads = threads;
        }

        @Override
        public synchronized Executor get() {
            if (pool == null) pool = camel.get().getExecutorServiceManager().newFixedThreadPool(this, "radloop-delivery", threads);
            return pool;
        }
    }
}
