package org.radloop.dicom;

/**
 * Header names the {@code dicom:} component sets on (consumer) or reads from (producer) a Camel
 * message. Routes and processors use these, never PixelMed types.
 */
public final class DicomConstants {
    private DicomConstants() {
    }

    /** Consumer: the AE title the sender called from. */
    public static final String CALLING_AE_TITLE = "RadLoopDicomCallingAeTitle";
    /** Consumer: the AE title the sender called (RadLoop's). */
    public static final String CALLED_AE_TITLE = "RadLoopDicomCalledAeTitle";
    /** Consumer: the sender's IP address. */
    public static final String REMOTE_ADDRESS = "RadLoopDicomRemoteAddress";
    /** Consumer: SOP Instance UID of the received instance (0008,0018). */
    public static final String SOP_INSTANCE_UID = "RadLoopDicomSopInstanceUid";
    /** Consumer: SOP Class UID of the received instance (0008,0016). */
    public static final String SOP_CLASS_UID = "RadLoopDicomSopClassUid";
    /** Consumer: transfer syntax UID the instance was received (and stored) in. */
    public static final String TRANSFER_SYNTAX_UID = "RadLoopDicomTransferSyntaxUid";
    /** Consumer: absolute path of the durably stored Part 10 file (java.nio.file.Path). */
    public static final String FILE = "RadLoopDicomFile";
    /** Consumer: size of the stored file in bytes (Long). */
    public static final String FILE_SIZE = "RadLoopDicomFileSize";
    /** Consumer: Study Instance UID (0020,000D) of the received instance (names its folder). */
    public static final String STUDY_INSTANCE_UID = "RadLoopDicomStudyInstanceUid";
    /** Consumer: Series Instance UID (0020,000E) of the received instance (names its folder). */
    public static final String SERIES_INSTANCE_UID = "RadLoopDicomSeriesInstanceUid";
    /**
     * Consumer: NONE for a new instance, IDENTICAL when the same SOP instance with the same data set
     * bytes was already stored (not stored again; FILE is the earlier copy), CHANGED when a copy
     * with different bytes exists (this one is stored beside it as a new version). The indexer decides.
     */
    public static final String DUPLICATE = "RadLoopDicomDuplicate";
    /** Consumer: hex SHA-256 of the stored data set bytes, to tell a resend from a changed payload. */
    public static final String SHA256 = "RadLoopDicomSha256";
    /**
     * Consumer: a {@code CompletableFuture<Void>} that completes once the stored file's rename into
     * its series folder is durable (the bytes themselves are durable before the route runs). The
     * folder fsync runs while the route works; a route that commits something about the file waits
     * for this first (the indexer does). The C-STORE response waits for it whatever the route does.
     */
    public static final String DURABLE = "RadLoopDicomDurable";
    /** Consumer: set to a reason when the instance was quarantined instead of stored. */
    public static final String QUARANTINE_REASON = "RadLoopDicomQuarantineReason";
    /** Producer: the operation: echo, store, find, move (overrides the endpoint's). */
    public static final String OPERATION = "RadLoopDicomOperation";
    /** Producer store: files (Path or List of Path) to send. */
    public static final String FILES = "RadLoopDicomFiles";
    /** Producer find/move: query keys as a Map of DICOM keyword to value. */
    public static final String QUERY = "RadLoopDicomQuery";
    /** Producer move: destination AE title. */
    public static final String MOVE_DESTINATION = "RadLoopDicomMoveDestination";
    /** Producer store: number of instances the peer accepted (Integer). */
    public static final String COMPLETED = "RadLoopDicomCompleted";
    /** Producer store: number of instances the peer refused or that could not be sent (Integer). */
    public static final String FAILED = "RadLoopDicomFailed";
    /**
     * Producer store: the files (as given, List of String) the peer refused or that could not be
     * sent, so that a caller can retry exactly those.
     */
    public static final String FAILED_FILES = "RadLoopDicomFailedFiles";
    /** Producer: final DIMSE status (Integer); consumer: the status the SCP answers (Integer). */
    public static final String STATUS = "RadLoopDicomStatus";
}
