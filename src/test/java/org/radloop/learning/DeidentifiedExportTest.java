package org.radloop.learning;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DateTimeAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.ValueRepresentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.model.Store;
import org.radloop.model.TrainingLabel;
import org.radloop.support.DcmtkTool;
import org.radloop.triage.demo.PhantomSeries;

/**
 * The de-identified learning dataset holds no name, identifier or original date of its source
 * studies: every attribute of every exported file (file meta, sequences and all) is checked, by
 * PixelMed and by dcmtk's dcmdump, against every identifying value the sources carried.
 */
class DeidentifiedExportTest {

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    @TempDir
    Path dir;

    /** Source studies written as a RIS and a scanner would: full of names, identifiers and dates. */
    private record Source(List<Path> files, String studyUid, String seriesUid, List<String> sopUids, String frameOfReference) {
    }

    private final List<String> secrets = new ArrayList<>();

    @Test
    void theExportContainsNoNameIdentifierOrOriginalDateAndKeepsStudiesLinked() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Source a1 = source(11, "DOE^JANE^Q", "MRN-448812", "19610214", "20261130", "ACC-77812");
        Source a2 = source(12, "DOE^JANE^Q", "MRN-448812", "19610214", "20250101", "ACC-61203");
        Source b = source(13, "ROE^RICHARD", "MRN-990031", "19790730", "20261129", "ACC-77813");
        secrets.addAll(List.of("DOE^JANE", "DOE JANE", "JANE", "ROE^RICHARD", "RICHARD", "MRN-448812", "MRN-990031", "19610214", "19790730", "20261130",
                "20250101", "20261129", "ACC-77812", "ACC-61203", "ACC-77813", "NHS-9434765919", "S-5521", "St Mary", "HOUSE^GREGORY",
                "GREGORY", "TECH^ANNA", "Elm Street", "555-0100", "SN-99812", "CT01-ROOM3", "RP-4471", "SPS-0093", "ACME"));
        for (Source s : List.of(a1, a2, b)) {
            secrets.add(s.studyUid());
            secrets.add(s.seriesUid());
            secrets.addAll(s.sopUids());
            secrets.add(s.frameOfReference());
        }

        try (Store store = Store.open(Store.embeddedUrl(data), "sa", "", 2)) {
            store.inTransaction(s -> {
                for (Source src : List.of(a1, a2, b)) {
                    s.persist(new TrainingLabel("test-hospital", src.studyUid(), src.seriesUid(), List.of(), src.files(), null,
                            "ct-head-bleed-demo", "1.0.0", "bleed", false, 0.1, TrainingLabel.Verdict.CONFIRMED, "dr-test",
                            "report-" + src.studyUid().hashCode(), Instant.now()));
                }
            });
            LearningExport export = new LearningExport(store, data, Clock.systemUTC());
            LearningExport.Exported out = export.export(export.defaultDirectory());
            assertThat(out.labels()).isEqualTo(3);
            assertThat(out.files()).isEqualTo(9);
            assertThat(out.skipped()).isZero();
            assertThat(out.directory()).startsWith(data.resolve("learning/dataset"));

            List<Path> exported;
            try (Stream<Path> s = Files.walk(out.directory().resolve("dicom"))) {
                exported = s.filter(p -> p.toString().endsWith(".dcm")).toList();
            }
            assertThat(exported).hasSize(9);
            Map<String, String> pseudonymByStudy = new HashMap<>();
            Map<String, String> dateByStudy = new HashMap<>();
            Map<String, java.util.Set<String>> frameByStudy = new HashMap<>();
            for (Path f : exported) {
                AttributeList list = new AttributeList();
                list.read(f.toFile());
                List<String> values = new ArrayList<>();
                walk(list, values);
                for (String v : values) {
                    for (String secret : secrets) {
                        assertThat(v).as("an attribute of " + f.getFileName()).doesNotContainIgnoringCase(secret);
                    }
                }
                // dcmtk reads the file too, and sees none of it either.
                DcmtkTool.Result dump = DcmtkTool.run("dcmdump", "+U8", f.toString());
                assertThat(dump.succeeded()).as(dump.output()).isTrue();
                for (String secret : secrets) assertThat(dump.output()).doesNotContainIgnoringCase(secret);
                assertThat(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientIdentityRemoved)).isEqualTo("YES");
                assertThat(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientBirthDate)).isEmpty();
                String study = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID);
                assertThat(study).startsWith("2.25.");
                // References stay linked: a kept reference names the study by its new UID (the basic
                // profile removes Referenced Study Sequence; if a version of PixelMed keeps it, it must be remapped).
                SequenceAttribute ref = (SequenceAttribute) list.get(TagFromName.ReferencedStudySequence);
                if (ref != null) {
                    assertThat(Attribute.getSingleStringValueOrEmptyString(ref.getItem(0).getAttributeList(),
                            TagFromName.ReferencedSOPInstanceUID)).isEqualTo(study);
                }
                assertThat(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.MediaStorageSOPInstanceUID))
                        .isEqualTo(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID));
                frameByStudy.computeIfAbsent(study, k -> new java.util.HashSet<>())
                        .add(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.FrameOfReferenceUID));
                assertThat(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID))
                        .isEqualTo(PhantomSeries.CT_IMAGE_STORAGE);
                pseudonymByStudy.put(study, Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID));
                dateByStudy.put(study, Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyDate));
                // The pixels are what was acquired: the dataset still teaches.
                assertThat(list.getPixelData().getShortValues()).hasSize(64 * 64);
            }
            assertThat(pseudonymByStudy).hasSize(3);
            // Each study's three slices still share one (new) frame of reference.
            assertThat(frameByStudy.values()).allSatisfy(frames -> assertThat(frames).singleElement().asString().startsWith("2.25."));
            String csv = Files.readString(out.labelsFile());
            for (String secret : secrets) assertThat(csv).doesNotContainIgnoringCase(secret);
            assertThat(csv.lines()).hasSize(4);

            // The same patient keeps one pseudonym and the true interval between studies; another patient another pseudonym.
            Deidentifier deid = new Deidentifier(Files.readAllBytes(data.resolve("learning/deid-secret")));
            String s1 = deid.remapUid(a1.studyUid()), s2 = deid.remapUid(a2.studyUid()), s3 = deid.remapUid(b.studyUid());
            assertThat(pseudonymByStudy.get(s1)).isEqualTo(pseudonymByStudy.get(s2)).isNotEqualTo(pseudonymByStudy.get(s3));
            long original = ChronoUnit.DAYS.between(LocalDate.parse("20250101", DA), LocalDate.parse("20261130", DA));
            long shifted = ChronoUnit.DAYS.between(LocalDate.parse(dateByStudy.get(s2), DA), LocalDate.parse(dateByStudy.get(s1), DA));
            assertThat(shifted).isEqualTo(original);

            // A second export maps everything the same way (the key is kept in the data folder).
            LearningExport.Exported again = export.export(export.defaultDirectory().resolveSibling("again"));
            assertThat(Files.readString(again.labelsFile())).isEqualTo(csv.replace(out.directory().toString(), again.directory().toString()));
        }
    }

    /** Every value of every attribute, recursively, file meta included, as text; binary values as their bytes in ISO-8859-1. */
    private static void walk(AttributeList list, List<String> values) throws Exception {
        for (Iterator<?> it = list.values().iterator(); it.hasNext(); ) {
            Attribute a = (Attribute) it.next();
            AttributeTag tag = a.getTag();
            assertThat(tag.getGroup() % 2).as("private attribute " + tag + " left in").isZero();
            if (a instanceof SequenceAttribute seq) {
                for (Iterator<?> items = seq.iterator(); items.hasNext(); ) walk(((SequenceItem) items.next()).getAttributeList(), values);
                continue;
            }
            if (tag.equals(TagFromName.PixelData)) continue;
            byte[] vr = a.getVR();
            if (ValueRepresentation.isOtherByteVR(vr) || ValueRepresentation.isUnknownVR(vr)) {
                byte[] bytes = a.getByteValues();
                if (bytes != null) values.add(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
                continue;
            }
            String[] s = a.getStringValues();
            if (s != null) values.addAll(List.of(s));
        }
    }

    private Source source(long seed, String name, String patientId, String birthDate, String studyDate, String accession)
            throws Exception {
        List<Path> files = PhantomSeries.writeCtHead(dir.resolve("src/" + seed), seed, 3, 64, false);
        String frame = "1.2.826.0.1.3680043.10.999." + seed;
        List<String> sops = new ArrayList<>();
        String study = null, series = null;
        for (Path f : files) {
            AttributeList list = new AttributeList();
            list.read(f.toFile());
            study = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID);
            series = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID);
            sops.add(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID));
            put(list, new PersonNameAttribute(TagFromName.PatientName), name);
            put(list, new LongStringAttribute(TagFromName.PatientID), patientId);
            put(list, new LongStringAttribute(TagFromName.IssuerOfPatientID), "ST-MARYS");
            put(list, new LongStringAttribute(TagFromName.OtherPatientIDs), "NHS-9434765919");
            put(list, new DateAttribute(TagFromName.PatientBirthDate), birthDate);
            put(list, new DateAttribute(TagFromName.StudyDate), studyDate);
            put(list, new DateAttribute(TagFromName.SeriesDate), studyDate);
            put(list, new DateAttribute(TagFromName.ContentDate), studyDate);
            put(list, new DateTimeAttribute(TagFromName.AcquisitionDateTime), studyDate + "101500");
            put(list, new ShortStringAttribute(TagFromName.AccessionNumber), accession);
            put(list, new ShortStringAttribute(TagFromName.StudyID), "S-5521");
            put(list, new LongStringAttribute(TagFromName.InstitutionName), "St Mary's Hospital");
            put(list, new com.pixelmed.dicom.ShortTextAttribute(TagFromName.InstitutionAddress), "1 Elm Street, Townsville");
            put(list, new PersonNameAttribute(TagFromName.ReferringPhysicianName), "HOUSE^GREGORY");
            put(list, new PersonNameAttribute(TagFromName.OperatorsName), "TECH^ANNA");
            put(list, new LongStringAttribute(TagFromName.PatientAddress), "12 Elm Street");
            put(list, new ShortStringAttribute(TagFromName.PatientTelephoneNumbers), "555-0100");
            put(list, new LongStringAttribute(TagFromName.DeviceSerialNumber), "SN-99812");
            put(list, new ShortStringAttribute(TagFromName.StationName), "CT01-ROOM3");
            put(list, new UniqueIdentifierAttribute(TagFromName.FrameOfReferenceUID), frame);
            put(list, new LongStringAttribute(new AttributeTag(0x0011, 0x0010)), "ACME");
            put(list, new LongStringAttribute(new AttributeTag(0x0011, 0x1001)), "DOE JANE MRN-448812");
            SequenceAttribute ref = new SequenceAttribute(TagFromName.ReferencedStudySequence);
            AttributeList item = new AttributeList();
            put(item, new UniqueIdentifierAttribute(TagFromName.ReferencedSOPClassUID), "1.2.840.10008.3.1.2.3.1");
            put(item, new UniqueIdentifierAttribute(TagFromName.ReferencedSOPInstanceUID), study);
            ref.addItem(item);
            list.put(ref);
            SequenceAttribute request = new SequenceAttribute(TagFromName.RequestAttributesSequence);
            AttributeList req = new AttributeList();
            put(req, new ShortStringAttribute(TagFromName.RequestedProcedureID), "RP-4471");
            put(req, new ShortStringAttribute(new AttributeTag(0x0040, 0x0009)), "SPS-0093");
            put(req, new PersonNameAttribute(TagFromName.ScheduledPerformingPhysicianName), "HOUSE^GREGORY");
            request.addItem(req);
            list.put(request);
            list.removeMetaInformationHeaderAttributes();
            com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "SCANNER01");
            list.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        }
        return new Source(files, study, series, sops, frame);
    }

    private static void put(AttributeList list, Attribute a, String value) throws Exception {
        a.addValue(value);
        list.put(a);
    }
}
