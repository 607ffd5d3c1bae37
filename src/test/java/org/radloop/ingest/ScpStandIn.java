package org.radloop.ingest;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.radloop.dicom.DicomConstants;
import org.radloop.engine.RadLoopEngine;

/**
 * Stands in for the storage SCP (built on another branch): hands each "stored" file to the
 * {@code dicomInstanceIndexer} bean of a running engine with exactly the headers the SCP sets, through
 * a direct route in the engine's own Camel context.
 */
final class ScpStandIn {

    static final String ENDPOINT = "direct:scp-stand-in";

    private final ProducerTemplate template;

    ScpStandIn(RadLoopEngine engine) throws Exception {
        engine.camel().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(ENDPOINT).routeId("scp-stand-in").process("dicomInstanceIndexer");
            }
        });
        this.template = engine.camel().createProducerTemplate();
    }

    /** Sends one stored file; the returned exchange carries the exception when the indexer refused it. */
    Exchange store(Path file, String callingAe) throws Exception {
        AttributeList meta = new AttributeList();
        meta.readOnlyMetaInformationHeader(file.toString());
        AttributeList header = new AttributeList();
        header.read(file.toString(), TagFromName.PixelData);
        String sha = DataSetDigest.sha256Hex(file);
        long size = Files.size(file);
        return template.send(ENDPOINT, e -> {
            e.getMessage().setHeader(DicomConstants.CALLING_AE_TITLE, callingAe);
            e.getMessage().setHeader(DicomConstants.CALLED_AE_TITLE, "RADLOOP");
            e.getMessage().setHeader(DicomConstants.REMOTE_ADDRESS, "127.0.0.1");
            e.getMessage().setHeader(DicomConstants.SOP_INSTANCE_UID,
                    Attribute.getSingleStringValueOrNull(header, TagFromName.SOPInstanceUID));
            e.getMessage().setHeader(DicomConstants.SOP_CLASS_UID,
                    Attribute.getSingleStringValueOrNull(header, TagFromName.SOPClassUID));
            e.getMessage().setHeader(DicomConstants.TRANSFER_SYNTAX_UID,
                    Attribute.getSingleStringValueOrNull(meta, TagFromName.TransferSyntaxUID));
            e.getMessage().setHeader(DicomConstants.FILE, file);
            e.getMessage().setHeader(DicomConstants.FILE_SIZE, size);
            e.getMessage().setHeader(DicomConstants.SHA256, sha);
        });
    }

    /** What the SCP hands on (routeRefused) for an instance it refused and quarantined itself. */
    Exchange refusedByScp(String callingAe, String sopInstanceUid, String reason) {
        return template.send(ENDPOINT, e -> {
            e.getMessage().setHeader(DicomConstants.CALLING_AE_TITLE, callingAe);
            e.getMessage().setHeader(DicomConstants.SOP_INSTANCE_UID, sopInstanceUid);
            e.getMessage().setHeader(DicomConstants.QUARANTINE_REASON, reason);
        });
    }

    /** Sends and fails the test if the indexer refused the file. */
    Exchange storeOk(Path file, String callingAe) throws Exception {
        Exchange e = store(file, callingAe);
        if (e.getException() != null) throw new AssertionError("indexer refused " + file, e.getException());
        return e;
    }
}
