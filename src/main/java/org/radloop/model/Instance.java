package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One stored version of a DICOM SOP instance. Resending the same bytes adds nothing; a different
 * payload under the same SOP Instance UID (a modality that re-uses UIDs, or an edited image) becomes
 * a new version flagged {@code payloadChanged}, and only the current version counts in the study.
 */
@Entity
@Table(name = "dicom_instance")
public class Instance {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "study_id", nullable = false)
    private Long studyId;
    @Column(name = "series_id", nullable = false)
    private Long seriesId;
    @Column(name = "sop_instance_uid", nullable = false)
    private String sopInstanceUid;
    @Column(name = "sop_class_uid", nullable = false)
    private String sopClassUid;
    @Column(name = "transfer_syntax_uid")
    private String transferSyntaxUid;
    @Column(name = "file_path", nullable = false)
    private String filePath;
    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;
    @Column(nullable = false)
    private String sha256;
    @Column(name = "instance_number")
    private Integer instanceNumber;
    @Column(nullable = false)
    private int version;
    @Column(name = "is_current", nullable = false)
    private boolean currentVersion;
    @Column(name = "payload_changed", nullable = false)
    private boolean payloadChanged;
    @Column(name = "calling_ae_title")
    private String callingAeTitle;
    @Column(name = "received_at", nullable = false)
    private Instant receivedAt;

    protected Instance() {
    }

    public Instance(Long studyId, Long seriesId, String sopInstanceUid, String sopClassUid, String transferSyntaxUid,
                    String filePath, long sizeBytes, String sha256, Integer instanceNumber, int version,
                    boolean payloadChanged, String callingAeTitle, Instant receivedAt) {
        this.studyId = studyId;
        this.seriesId = seriesId;
        this.sopInstanceUid = sopInstanceUid;
        this.sopClassUid = sopClassUid;
        this.transferSyntaxUid = transferSyntaxUid;
        this.filePath = filePath;
        this.sizeBytes = sizeBytes;
        this.sha256 = sha256;
        this.instanceNumber = instanceNumber;
        this.version = version;
        this.currentVersion = true;
        this.payloadChanged = payloadChanged;
        this.callingAeTitle = callingAeTitle;
        this.receivedAt = receivedAt;
    }

    public Long getId() { return id; }
    public Long getStudyId() { return studyId; }
    public Long getSeriesId() { return seriesId; }
    public String getSopInstanceUid() { return sopInstanceUid; }
    public String getSopClassUid() { return sopClassUid; }
    public String getTransferSyntaxUid() { return transferSyntaxUid; }
    public String getFilePath() { return filePath; }
    public long getSizeBytes() { return sizeBytes; }
    public String getSha256() { return sha256; }
    public Integer getInstanceNumber() { return instanceNumber; }
    public int getVersion() { return version; }
    public boolean isCurrent() { return currentVersion; }
    public boolean isPayloadChanged() { return payloadChanged; }
    public String getCallingAeTitle() { return callingAeTitle; }
    public Instant getReceivedAt() { return receivedAt; }

    /** A newer version with a different payload took this one's place. */
    public void supersede() {
        this.currentVersion = false;
    }
}
