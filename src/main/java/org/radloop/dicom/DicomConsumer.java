package org.radloop.dicom;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Storage SCP consumer: one exchange per durably stored instance, run synchronously on the
 * association's thread so the C-STORE response can reflect the route's outcome.
 */
public class DicomConsumer extends DefaultConsumer implements InstanceListener {

    private StorageScp scp;

    public DicomConsumer(DicomEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public DicomEndpoint getEndpoint() {
        return (DicomEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        DicomEndpoint e = getEndpoint();
        scp = new StorageScp(e.scpSettings(), new InstanceStore(e.storagePath(), e.quarantinePath()), this);
        scp.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (scp != null) {
            scp.stop();
            scp = null;
        }
        super.doStop();
    }

    /** The port actually listened on (useful when configured as 0). */
    public int getLocalPort() {
        return scp.localPort();
    }

    @Override
    public void stored(ReceivedInstance instance) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            fill(exchange.getIn(), instance);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
            if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
                throw new IllegalStateException("route marked the exchange rollback-only");
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    @Override
    public void quarantined(ReceivedInstance instance) {
        if (!getEndpoint().isRouteRefused()) {
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            fill(exchange.getIn(), instance);
            exchange.getIn().setHeader(DicomConstants.QUARANTINE_REASON, instance.quarantineReason());
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("route for a refused DICOM instance failed", exchange, exchange.getException());
            }
        } catch (Exception e) {
            getExceptionHandler().handleException("route for a refused DICOM instance failed", exchange, e);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static void fill(Message in, ReceivedInstance i) {
        in.setHeader(DicomConstants.CALLING_AE_TITLE, i.callingAeTitle());
        in.setHeader(DicomConstants.CALLED_AE_TITLE, i.calledAeTitle());
        in.setHeader(DicomConstants.REMOTE_ADDRESS, i.remoteAddress());
        in.setHeader(DicomConstants.SOP_CLASS_UID, i.sopClassUid());
        in.setHeader(DicomConstants.SOP_INSTANCE_UID, i.sopInstanceUid());
        in.setHeader(DicomConstants.STUDY_INSTANCE_UID, i.studyInstanceUid());
        in.setHeader(DicomConstants.SERIES_INSTANCE_UID, i.seriesInstanceUid());
        in.setHeader(DicomConstants.TRANSFER_SYNTAX_UID, i.transferSyntaxUid());
        in.setHeader(DicomConstants.FILE, i.file());
        in.setHeader(DicomConstants.FILE_SIZE, i.fileSize());
        in.setHeader(DicomConstants.SHA256, i.sha256());
        in.setHeader(DicomConstants.DUPLICATE, i.duplicate().name());
        if (i.durable() != null) {
            in.setHeader(DicomConstants.DURABLE, i.durable());
        }
        if (i.quarantineReason() != null) {
            in.setHeader(DicomConstants.STATUS, i.status());
        }
        in.setBody(i.file());
    }
}
