package org.radloop.delivery;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.AbstractMessage;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ORU^R01 that carries a signed report back to the RIS, in the HL7 version the facility reads
 * (2.3.1 or 2.5.1), built with HAPI's structures for that version:
 * <ul>
 *   <li>PID: the patient as the order identified them (PID-3 with its assigning authority);</li>
 *   <li>ORC/OBR: the order's own placer and filler numbers, procedure code and ordering provider,
 *       the accession number in OBR-18, OBR-25 result status F (final) or C (corrected), OBR-32 the
 *       radiologist who signed;</li>
 *   <li>OBX: the report text, one TX line per OBX, each section under its LOINC code (sub-id per
 *       section), then the AI disclosure; OBX-11 is F or C like OBR-25.</li>
 * </ul>
 * MSH-10 is the delivery's message id, the same on every retry, so a RIS that keeps its last
 * control ids can recognise a repeat.
 */
final class OruMessage {

    static final String SENDING_APPLICATION = "RADLOOP";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ", Locale.ROOT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private final HapiContext context;
    private final PipeParser parser;

    OruMessage() {
        context = new DefaultHapiContext();
        context.setValidationContext(ValidationContextFactory.noValidation());
        // initQuickstart draws a control id from HAPI's default generator, which keeps its counter in
        // a file "id_file" in the working folder; RadLoop sets MSH-10 itself, so keep it in memory.
        context.getParserConfiguration().setIdGenerator(new ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator());
        parser = context.getPipeParser();
    }

    /** The message as ER7 text (segments separated by CR). */
    String build(ReportForDelivery report, String version, String controlId, String receivingApplication,
                 String receivingFacility, ZoneId zone, Instant now) throws HL7Exception, IOException {
        AbstractMessage msg = newMessage(version);
        msg.initQuickstart("ORU", "R01", "P");
        Terser t = new Terser(msg);
        Layout at = version.equals("2.3.1") ? Layout.V231 : Layout.V251;
        t.set("MSH-3-1", SENDING_APPLICATION);
        t.set("MSH-4-1", SENDING_APPLICATION);
        t.set("MSH-5-1", receivingApplication);
        t.set("MSH-6-1", receivingFacility);
        t.set("MSH-7", TS.format(now.atZone(zone)));
        t.set("MSH-10", controlId);
        t.set("MSH-18", version.equals("2.3.1") ? "UNICODE" : "UNICODE UTF-8");

        ReportForDelivery.Patient p = report.patient();
        String pid = at.patient() + "PID-";
        t.set(pid + "1", "1");
        t.set(pid + "3-1", p.identifier());
        t.set(pid + "3-4-1", p.assigningAuthority());
        t.set(pid + "3-5", "MR");
        t.set(pid + "5-1", p.familyName());
        t.set(pid + "5-2", p.givenName());
        if (p.birthDate() != null) t.set(pid + "7", DATE.format(p.birthDate()));
        t.set(pid + "8", p.sex());

        ReportForDelivery.Order o = report.order();
        String status = report.status().hl7();
        String signedAt = report.signedAt() == null ? null : TS.format(report.signedAt().atZone(zone));
        String order = at.order();
        t.set(order + "ORC-1", "RE");
        t.set(order + "ORC-2-1", o.placerOrderNumber());
        t.set(order + "ORC-3-1", o.fillerOrderNumber());
        t.set(order + "ORC-5", "CM");
        person(t, order + "ORC-12", o.orderingProvider(), false);
        t.set(order + "OBR-1", "1");
        t.set(order + "OBR-2-1", o.placerOrderNumber());
        t.set(order + "OBR-3-1", o.fillerOrderNumber());
        t.set(order + "OBR-4-1", o.procedureCode());
        t.set(order + "OBR-4-2", o.procedureText());
        t.set(order + "OBR-4-3", o.procedureCodingSystem());
        if (o.examAt() != null) t.set(order + "OBR-7", TS.format(o.examAt().atZone(zone)));
        person(t, order + "OBR-16", o.orderingProvider(), false);
        t.set(order + "OBR-18", o.accessionNumber());
        t.set(order + "OBR-22", signedAt);
        t.set(order + "OBR-24", "RAD");
        t.set(order + "OBR-25", status);
        person(t, order + "OBR-32", report.signer(), true);

        int obx = 0;
        int subId = 0;
        for (Map.Entry<String, String> section : report.sections().entrySet()) {
            subId++;
            obx = lines(t, order + at.observation(), obx, subId, ReportSections.loinc(section.getKey()), section.getKey(),
                    ReportSections.lines(section.getKey(), section.getValue()), status, signedAt);
        }
        if (report.impression() != null && !report.impression().isBlank()) {
            subId++;
            obx = lines(t, order + at.observation(), obx, subId, ReportSections.IMPRESSION_LOINC, "Impression",
                    ReportSections.lines("Impression", report.impression()), status, signedAt);
        }
        if (report.aiDisclosure() != null && !report.aiDisclosure().isBlank()) {
            subId++;
            lines(t, order + at.observation(), obx, subId, "RADLOOP-AI", "AI assistance disclosure",
                    List.of(report.aiDisclosure()), status, signedAt);
        }
        return parser.encode(msg);
    }

    private static int lines(Terser t, String observation, int obx, int subId, String code, String title, List<String> lines,
                             String status, String signedAt) throws HL7Exception {
        for (String line : lines) {
            String seg = observation + "(" + obx + ")/OBX-";
            t.set(seg + "1", Integer.toString(obx + 1));
            t.set(seg + "2", "TX");
            t.set(seg + "3-1", code);
            t.set(seg + "3-2", title);
            t.set(seg + "3-3", code.startsWith("RADLOOP") ? "L" : "LN");
            t.set(seg + "4", Integer.toString(subId));
            t.set(seg + "5", line);
            t.set(seg + "11", status);
            t.set(seg + "14", signedAt);
            obx++;
        }
        return obx;
    }

    /**
     * Where the segments sit in HAPI's ORU_R01 of each version: 2.5.1 names its groups
     * PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION, 2.3.1 after their segments.
     */
    private record Layout(String patient, String order, String observation) {
        static final Layout V251 = new Layout("/PATIENT_RESULT/PATIENT/", "/PATIENT_RESULT/ORDER_OBSERVATION/", "OBSERVATION");
        static final Layout V231 = new Layout("/PIDPD1NK1NTEPV1PV2ORCOBRNTEOBXNTECTI/PIDPD1NK1NTEPV1PV2/",
                "/PIDPD1NK1NTEPV1PV2ORCOBRNTEOBXNTECTI/ORCOBRNTEOBXNTECTI/", "OBXNTE");
    }

    /** XCN (ORC-12, OBR-16) or the NDL name of OBR-32: id, family, given, in both versions' layout. */
    private static void person(Terser t, String field, ReportForDelivery.Person who, boolean ndl) throws HL7Exception {
        if (who == null) return;
        String c = ndl ? field + "-1-" : field + "-";
        t.set(c + "1", who.id());
        t.set(c + "2", who.familyName());
        t.set(c + "3", who.givenName());
    }

    private AbstractMessage newMessage(String version) {
        AbstractMessage m = switch (version) {
            case "2.3.1" -> new ca.uhn.hl7v2.model.v231.message.ORU_R01();
            case "2.5.1" -> new ca.uhn.hl7v2.model.v251.message.ORU_R01();
            default -> throw new PermanentDeliveryException("HL7 version " + version + " is not sent (2.3.1 or 2.5.1)");
        };
        m.setParser(parser);
        return m;
    }
}
