package org.radloop.dicom;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A DICOM network endpoint. {@code dicom:scp} receives (C-ECHO and C-STORE SCP) and hands every
 * durably stored instance to the route; {@code dicom:echo}, {@code dicom:store}, {@code dicom:find}
 * and {@code dicom:move} talk to a remote AE as SCU.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "dicom", title = "DICOM", syntax = "dicom:operation",
        category = {Category.HEALTH, Category.NETWORKING}, remote = true, generateConfigurer = false)
public class DicomEndpoint extends DefaultEndpoint {

    static final Set<String> PRODUCER_OPERATIONS = Set.of("echo", "store", "find", "move");

    /** {@code scp} for the consumer (storage SCP); {@code echo}, {@code store}, {@code find} or {@code move} for the producer. */
    @UriPath(enums = "scp,echo,store,find,move")
    @Metadata(required = true)
    private String operation;

    /** Our own AE title: the one the SCP answers to, and the calling AE title of producer operations. */
    @UriParam(defaultValue = "RADLOOP")
    private String aeTitle = "RADLOOP";

    /**
     * Largest P-DATA PDU we accept, in bytes (the SCP, and C-STORE as SCU); peers split data into
     * PDUs no larger than this.
     */
    @UriParam(defaultValue = "65536")
    private int maxPduSize = 65536;

    /** TCP port the SCP listens on. */
    @UriParam(label = "consumer", defaultValue = "11112")
    private int port = 11112;

    /** Address the SCP binds to; empty for all interfaces. */
    @UriParam(label = "consumer")
    private String host;

    /**
     * Folder that receives one Part 10 file per SOP instance as
     * {@code <StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm}; a changed resend is kept
     * as {@code <SOPInstanceUID>.v2.dcm}.
     */
    @UriParam(label = "consumer")
    @Metadata(required = true)
    private String storageDir;

    /**
     * Folder for refused instances and instances whose route failed, each with a {@code .reason}
     * text file. Defaults to a {@code quarantine} folder beside {@code storageDir}.
     */
    @UriParam(label = "consumer")
    private String quarantineDir;

    /**
     * Bean deciding at association time which calling AE titles may send; refused ones get
     * A-ASSOCIATE-RJ "calling AE title not recognized". Default: any calling AE title.
     */
    @UriParam(label = "consumer")
    private CallingAeTitlePolicy associationPolicy;

    /** Associations served at once; one more gets A-ASSOCIATE-RJ "local limit exceeded" (transient). */
    @UriParam(label = "consumer", defaultValue = "32")
    private int maxAssociations = 32;

    /** Milliseconds without any PDU from the peer after which an association is dropped. */
    @UriParam(label = "consumer", defaultValue = "60000")
    private int idleTimeout = 60000;

    /**
     * Also route refused (quarantined) instances, with header {@code RadLoopDicomQuarantineReason}
     * set, so a route can record them; their failure status stands whatever the route does.
     */
    @UriParam(label = "consumer", defaultValue = "false")
    private boolean routeRefused;

    /** AE title of the remote peer (producer). */
    @UriParam(label = "producer")
    private String remoteAeTitle;

    /** Host name or address of the remote peer (producer). */
    @UriParam(label = "producer")
    private String remoteHost;

    /** DICOM port of the remote peer (producer). */
    @UriParam(label = "producer", defaultValue = "104")
    private int remotePort = 104;

    /**
     * Milliseconds to wait for the TCP connection to the remote peer (producer). PixelMed's own
     * connect has no limit: an unreachable host would block the route for minutes.
     */
    @UriParam(label = "producer", defaultValue = "10000")
    private int connectTimeout = 10000;

    /**
     * Milliseconds of silence from the remote peer after which the operation fails (producer): the
     * answer to the association request and every response must arrive within it. A PACS that accepts
     * the connection and never answers then fails the store, echo, find or move instead of holding
     * it for ever. A C-MOVE from a PACS that sends no pending responses waits for the whole transfer:
     * give it more.
     */
    @UriParam(label = "producer", defaultValue = "60000")
    private int responseTimeout = 60000;

    /** Destination AE title for {@code move}; header {@code RadLoopDicomMoveDestination} overrides it. */
    @UriParam(label = "producer")
    private String moveDestination;

    public DicomEndpoint(String uri, DicomComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() throws Exception {
        if (!PRODUCER_OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("dicom:" + operation + " cannot send; use one of " + PRODUCER_OPERATIONS);
        }
        require(remoteAeTitle, "remoteAeTitle");
        require(remoteHost, "remoteHost");
        return new DicomProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!"scp".equals(operation)) {
            throw new IllegalArgumentException("only dicom:scp can receive, not dicom:" + operation);
        }
        require(storageDir, "storageDir");
        DicomConsumer consumer = new DicomConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("dicom: option " + name + " is required");
        }
    }

    ScpSettings scpSettings() {
        return new ScpSettings(host, port, aeTitle, maxAssociations, maxPduSize, idleTimeout,
                associationPolicy == null ? CallingAeTitlePolicy.acceptAny() : associationPolicy);
    }

    Path storagePath() {
        return Path.of(storageDir).toAbsolutePath().normalize();
    }

    Path quarantinePath() {
        return quarantineDir == null || quarantineDir.isBlank()
                ? storagePath().resolveSibling("quarantine") : Path.of(quarantineDir).toAbsolutePath().normalize();
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation == null ? null : operation.trim().toLowerCase(Locale.ROOT);
    }

    public String getAeTitle() {
        return aeTitle;
    }

    public void setAeTitle(String aeTitle) {
        this.aeTitle = aeTitle;
    }

    public int getMaxPduSize() {
        return maxPduSize;
    }

    public void setMaxPduSize(int maxPduSize) {
        this.maxPduSize = maxPduSize;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public String getStorageDir() {
        return storageDir;
    }

    public void setStorageDir(String storageDir) {
        this.storageDir = storageDir;
    }

    public String getQuarantineDir() {
        return quarantineDir;
    }

    public void setQuarantineDir(String quarantineDir) {
        this.quarantineDir = quarantineDir;
    }

    public CallingAeTitlePolicy getAssociationPolicy() {
        return associationPolicy;
    }

    public void setAssociationPolicy(CallingAeTitlePolicy associationPolicy) {
        this.associationPolicy = associationPolicy;
    }

    public int getMaxAssociations() {
        return maxAssociations;
    }

    public void setMaxAssociations(int maxAssociations) {
        this.maxAssociations = maxAssociations;
    }

    public int getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(int idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public boolean isRouteRefused() {
        return routeRefused;
    }

    public void setRouteRefused(boolean routeRefused) {
        this.routeRefused = routeRefused;
    }

    public String getRemoteAeTitle() {
        return remoteAeTitle;
    }

    public void setRemoteAeTitle(String remoteAeTitle) {
        this.remoteAeTitle = remoteAeTitle;
    }

    public String getRemoteHost() {
        return remoteHost;
    }

    public void setRemoteHost(String remoteHost) {
        this.remoteHost = remoteHost;
    }

    public int getRemotePort() {
        return remotePort;
    }

    public void setRemotePort(int remotePort) {
        this.remotePort = remotePort;
    }

    public String getMoveDestination() {
        return moveDestination;
    }

    public void setMoveDestination(String moveDestination) {
        this.moveDestination = moveDestination;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(int responseTimeout) {
        this.responseTimeout = responseTimeout;
    }
}
