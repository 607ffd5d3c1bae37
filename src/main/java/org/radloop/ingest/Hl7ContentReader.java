package org.radloop.ingest;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.TQ;
import ca.uhn.hl7v2.model.v251.datatype.XCN;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.group.ADT_A39_PATIENT;
import ca.uhn.hl7v2.model.v251.group.OMI_O23_ORDER;
import ca.uhn.hl7v2.model.v251.group.OMI_O23_TIMING;
import ca.uhn.hl7v2.model.v251.group.ORM_O01_ORDER;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.model.v251.message.ADT_A39;
import ca.uhn.hl7v2.model.v251.message.OMI_O23;
import ca.uhn.hl7v2.model.v251.message.ORM_O01;
import ca.uhn.hl7v2.model.v251.segment.DG1;
import ca.uhn.hl7v2.model.v251.segment.MRG;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.radloop.model.ImagingOrder.Priority;
import org.radloop.model.ImagingOrder.Status;

/**
 * Reads supported messages out of HAPI's v2.5.1 structures (every version is parsed into them, see
 * {@link Hl7Parser}) into {@link Hl7Content}, checking what RadLoop cannot do without.
 *
 * <p>Accession number rule, in this order: IPC-1 of an OMI^O23; then, for a facility whose
 * {@code hl7.accessionFrom} is {@code filler-order-number}, the filler order number; then OBR-18
 * (placer field 1, where most RIS put it); then the filler order number (ORC-3, else OBR-3).
 */
final class Hl7ContentReader {

    private Hl7ContentReader() {
    }

    static Hl7Content read(Message message, ZoneId zone, boolean accessionFromFiller) throws Hl7Rejection, HL7Exception {
        if (message instanceof ORM_O01 orm) return orders(orm, zone, accessionFromFiller);
        if (message instanceof OMI_O23 omi) return orders(omi, zone, accessionFromFiller);
        if (message instanceof ADT_A39 a39) return merge(a39, zone);
        if (message instanceof ca.uhn.hl7v2.model.v251.message.ORU_R01 oru) return Hl7ResultReader.read(oru, zone);
        if (message instanceof ADT_A01 a01) {
            PID pid = a01.getPID();
            requireSegment(pid, "PID");
            return new Hl7Content.PatientUpdate(a01.getMSH().getMessageType().getTriggerEvent().getValue(), patient(pid, zone));
        }
        throw Hl7Rejection.reject(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, ErrorLocation.of("MSH", 9),
                "message structure " + message.getName() + " is not supported");
    }

    private static Hl7Content orders(ORM_O01 orm, ZoneId zone, boolean fillerAccession) throws Hl7Rejection, HL7Exception {
        PID pid = orm.getPATIENT().getPID();
        requireSegment(pid, "PID");
        PV1 pv1 = orm.getPATIENT().getPATIENT_VISIT().getPV1();
        List<ORM_O01_ORDER> groups = orm.getORDERAll();
        List<IncomingOrder> orders = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            ORM_O01_ORDER g = groups.get(i);
            if (g.getORC().isEmpty()) continue;
            OBR obr = g.getORDER_DETAIL().getOBR();
            orders.add(order(i + 1, g.getORC(), obr, g.getORDER_DETAIL().getDG1All(), null, null, pv1, zone, fillerAccession));
        }
        if (orders.isEmpty()) throw Hl7Rejection.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, ErrorLocation.segment("ORC"), "an ORC segment is required");
        return new Hl7Content.Orders(patient(pid, zone), orders);
    }

    private static Hl7Content orders(OMI_O23 omi, ZoneId zone, boolean fillerAccession) throws Hl7Rejection, HL7Exception {
        PID pid = omi.getPATIENT().getPID();
        requireSegment(pid, "PID");
        PV1 pv1 = omi.getPATIENT().getPATIENT_VISIT().getPV1();
        List<OMI_O23_ORDER> groups = omi.getORDERAll();
        List<IncomingOrder> orders = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            OMI_O23_ORDER g = groups.get(i);
            if (g.getORC().isEmpty()) continue;
            String tq1Priority = null;
            String tq1Start = null;
            for (OMI_O23_TIMING t : g.getTIMINGAll()) {
                if (t.getTQ1().isEmpty()) continue;
                if (t.getTQ1().getPriorityReps() > 0) tq1Priority = value(t.getTQ1().getPriority(0).getIdentifier().getValue());
                tq1Start = value(t.getTQ1().getStartDateTime().getTime().getValue());
                break;
            }
            String ipcAccession = g.getIPCReps() > 0 ? value(g.getIPC(0).getAccessionIdentifier().getEntityIdentifier().getValue()) : null;
            IncomingOrder o = order(i + 1, g.getORC(), g.getOBR(), g.getDG1All(), tq1Priority, tq1Start, pv1, zone, fillerAccession);
            if (ipcAccession != null) o = withAccession(o, ipcAccession);
            orders.add(o);
        }
        if (orders.isEmpty()) throw Hl7Rejection.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, ErrorLocation.segment("ORC"), "an ORC segment is required");
        return new Hl7Content.Orders(patient(pid, zone), orders);
    }

    private static IncomingOrder withAccession(IncomingOrder o, String accession) {
        return new IncomingOrder(o.control(), o.placer(), o.filler(), accession, o.procedureCode(), o.procedureText(),
                o.priority(), o.reasonForExam(), o.diagnosisCodes(), o.orderingProvider(), o.patientClass(),
                o.patientLocation(), o.scheduledAt(), o.status());
    }

    private static IncomingOrder order(int seq, ORC orc, OBR obr, List<DG1> dg1s, String tq1Priority, String tq1Start,
                                       PV1 pv1, ZoneId zone, boolean fillerAccession) throws Hl7Rejection, HL7Exception {
        String rawControl = value(orc.getOrderControl().getValue());
        if (rawControl == null) throw missing("ORC", seq, 1, "order control");
        String control = control(rawControl, seq);
        String placer = first(value(orc.getPlacerOrderNumber().getEntityIdentifier().getValue()),
                value(obr.getPlacerOrderNumber().getEntityIdentifier().getValue()));
        String filler = first(value(orc.getFillerOrderNumber().getEntityIdentifier().getValue()),
                value(obr.getFillerOrderNumber().getEntityIdentifier().getValue()));
        if (placer == null && filler == null) {
            throw Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING, new ErrorLocation("ORC", seq, 2, 0),
                    "a placer (ORC-2/OBR-2) or filler (ORC-3/OBR-3) order number is required");
        }
        CE service = obr.getUniversalServiceIdentifier();
        String code = value(service.getIdentifier().getValue());
        if (code == null && control.equals("NW")) {
            throw Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING, new ErrorLocation("OBR", seq, 4, 0),
                    "the procedure code (OBR-4) is required on a new order");
        }
        String accession = fillerAccession ? first(filler, value(obr.getPlacerField1().getValue()))
                : first(value(obr.getPlacerField1().getValue()), filler);

        Priority priority = priority(tq1Priority);
        TQ orcTq = orc.getQuantityTimingReps() > 0 ? orc.getQuantityTiming(0) : null;
        TQ obrTq = obr.getQuantityTimingReps() > 0 ? obr.getQuantityTiming(0) : null;
        if (priority == null && orcTq != null) priority = priority(value(orcTq.getPriority().getValue()));
        if (priority == null && obrTq != null) priority = priority(value(obrTq.getPriority().getValue()));

        Instant scheduled = null;
        if (tq1Start != null) scheduled = Hl7Dates.instant(tq1Start, zone, new ErrorLocation("TQ1", seq, 7, 0));
        if (scheduled == null && orcTq != null) {
            scheduled = Hl7Dates.instant(value(orcTq.getStartDateTime().getTime().getValue()), zone, new ErrorLocation("ORC", seq, 7, 4));
        }
        if (scheduled == null) {
            scheduled = Hl7Dates.instant(value(obr.getScheduledDateTime().getTime().getValue()), zone, new ErrorLocation("OBR", seq, 36, 0));
        }

        StringBuilder reason = new StringBuilder();
        for (CE ce : obr.getReasonForStudy()) {
            String t = first(value(ce.getText().getValue()), value(ce.getIdentifier().getValue()));
            if (t != null) reason.append(reason.length() > 0 ? "; " : "").append(t);
        }
        StringBuilder dx = new StringBuilder();
        for (DG1 dg1 : dg1s) {
            String c = value(dg1.getDiagnosisCodeDG1().getIdentifier().getValue());
            if (c != null) dx.append(dx.length() > 0 ? "," : "").append(c);
        }
        String provider = orc.getOrderingProviderReps() > 0 ? provider(orc.getOrderingProvider(0)) : null;
        if (provider == null && obr.getOrderingProviderReps() > 0) provider = provider(obr.getOrderingProvider(0));

        return new IncomingOrder(control, placer, filler, accession, code, value(service.getText().getValue()), priority,
                clip(reason, 1000), clip(dx, 500), clip(provider, 200),
                pv1 == null ? null : clip(value(pv1.getPatientClass().getValue()), 16),
                pv1 == null ? null : clip(location(pv1), 100), scheduled,
                status(value(orc.getOrderStatus().getValue()), value(obr.getResultStatus().getValue())));
    }

    /** ORC-1 in RadLoop's five verbs; the synonyms RIS use for cancel and discontinue count as those. */
    private static String control(String raw, int seq) throws Hl7Rejection {
        return switch (raw.toUpperCase(Locale.ROOT)) {
            case "NW" -> "NW";
            case "XO", "XX" -> "XO";
            case "CA", "OC", "CR" -> "CA";
            case "DC", "OD", "DR" -> "DC";
            case "SC", "SS" -> "SC";
            default -> throw Hl7Rejection.error(ErrorCode.TABLE_VALUE_NOT_FOUND, new ErrorLocation("ORC", seq, 1, 0),
                    "order control '" + raw + "' is not supported (NW, XO, CA, DC, SC)");
        };
    }

    /** Priority component of TQ (ORC-7.6 / OBR-27.6) or TQ1-9: S=STAT, A=ASAP, R=routine. */
    static Priority priority(String code) {
        if (code == null) return null;
        return switch (code.toUpperCase(Locale.ROOT)) {
            case "S", "STAT" -> Priority.STAT;
            case "A", "ASAP", "P", "C", "T" -> Priority.ASAP;
            case "R", "ROUTINE" -> Priority.ROUTINE;
            default -> null;
        };
    }

    /** ORC-5 order status, else OBR-25 result status (any result means the exam was done). */
    static Status status(String orderStatus, String resultStatus) {
        if (orderStatus != null) {
            switch (orderStatus.toUpperCase(Locale.ROOT)) {
                case "SC": return Status.SCHEDULED;
                case "IP": return Status.IN_PROGRESS;
                case "CM": return Status.COMPLETED;
                case "CA": return Status.CANCELLED;
                case "DC": return Status.DISCONTINUED;
                default: break;
            }
        }
        if (resultStatus != null) {
            switch (resultStatus.toUpperCase(Locale.ROOT)) {
                case "O", "S": return Status.SCHEDULED;
                case "I": return Status.IN_PROGRESS;
                case "CM", "P", "A", "R", "F", "C": return Status.COMPLETED;
                case "X": return Status.CANCELLED;
                default: break;
            }
        }
        return null;
    }

    private static Hl7Content merge(ADT_A39 a39, ZoneId zone) throws Hl7Rejection, HL7Exception {
        List<Hl7Content.MergePair> pairs = new ArrayList<>();
        for (ADT_A39_PATIENT p : a39.getPATIENTAll()) {
            if (p.getPID().isEmpty()) continue;
            MRG mrg = p.getMRG();
            if (mrg.isEmpty() || mrg.getPriorPatientIdentifierListReps() == 0) throw missing("MRG", pairs.size() + 1, 1, "prior patient identifier");
            CX prior = bestIdentifier(mrg.getPriorPatientIdentifierList());
            if (prior == null) throw missing("MRG", pairs.size() + 1, 1, "prior patient identifier");
            pairs.add(new Hl7Content.MergePair(patient(p.getPID(), zone),
                    new PatientDetails(value(prior.getIDNumber().getValue()), authority(prior), null, null, null, null)));
        }
        if (pairs.isEmpty()) throw Hl7Rejection.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, ErrorLocation.segment("PID"), "a PID segment is required");
        return new Hl7Content.Merge(pairs);
    }

    private static PatientDetails patient(PID pid, ZoneId zone) throws Hl7Rejection, HL7Exception {
        CX id = bestIdentifier(pid.getPatientIdentifierList());
        if (id == null) throw Hl7Rejection.missing("PID", 3, "the patient identifier");
        String family = null;
        String given = null;
        if (pid.getPatientNameReps() > 0) {
            XPN name = pid.getPatientName(0);
            family = clip(value(name.getFamilyName().getSurname().getValue()), 200);
            given = clip(value(name.getGivenName().getValue()), 200);
        }
        return new PatientDetails(clip(value(id.getIDNumber().getValue()), 64), authority(id), family, given,
                Hl7Dates.date(value(pid.getDateTimeOfBirth().getTime().getValue()), ErrorLocation.of("PID", 7)),
                clip(value(pid.getAdministrativeSex().getValue()), 8));
    }

    /** The medical record number (type MR) when PID-3 repeats, else the first identifier given. */
    private static CX bestIdentifier(CX[] ids) {
        CX first = null;
        for (CX cx : ids) {
            if (value(cx.getIDNumber().getValue()) == null) continue;
            if ("MR".equalsIgnoreCase(value(cx.getIdentifierTypeCode().getValue()))) return cx;
            if (first == null) first = cx;
        }
        return first;
    }

    private static String authority(CX cx) {
        String a = first(value(cx.getAssigningAuthority().getNamespaceID().getValue()),
                value(cx.getAssigningAuthority().getUniversalID().getValue()));
        return a == null ? "" : clip(a, 64);
    }

    private static String provider(XCN xcn) {
        String id = value(xcn.getIDNumber().getValue());
        String family = value(xcn.getFamilyName().getSurname().getValue());
        String given = value(xcn.getGivenName().getValue());
        if (id == null && family == null) return null;
        StringBuilder b = new StringBuilder();
        if (family != null) b.append(family);
        if (given != null) b.append(b.length() > 0 ? ", " : "").append(given);
        if (id != null) b.append(b.length() > 0 ? " [" + id + "]" : id);
        return b.toString();
    }

    /** PV1-3 as point of care / room / bed / facility, the parts that are present. */
    private static String location(PV1 pv1) {
        var pl = pv1.getAssignedPatientLocation();
        StringBuilder b = new StringBuilder();
        for (String part : new String[] {value(pl.getPointOfCare().getValue()), value(pl.getRoom().getValue()),
                value(pl.getBed().getValue()), value(pl.getFacility().getNamespaceID().getValue())}) {
            if (part != null) b.append(b.length() > 0 ? "/" : "").append(part);
        }
        return b.length() == 0 ? null : b.toString();
    }

    private static void requireSegment(ca.uhn.hl7v2.model.Segment s, String name) throws Hl7Rejection, HL7Exception {
        if (s == null || s.isEmpty()) throw Hl7Rejection.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, ErrorLocation.segment(name), "a " + name + " segment is required");
    }

    private static Hl7Rejection missing(String segment, int seq, int field, String what) {
        return Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING, new ErrorLocation(segment, seq, field, 0),
                what + " (" + segment + "-" + field + ") is required");
    }

    static String value(String v) {
        if (v == null) return null;
        String t = v.trim();
        return t.isEmpty() || t.equals("\"\"") ? null : t;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static String clip(CharSequence s, int max) {
        if (s == null || s.length() == 0) return null;
        return s.length() <= max ? s.toString() : s.subSequence(0, max).toString();
    }
}
