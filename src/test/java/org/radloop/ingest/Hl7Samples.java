package org.radloop.ingest;

/** HL7 test messages from the example facilities (conf/facilities): St Mary's (2.5.1) and Northgate (2.3.1). */
public final class Hl7Samples {

    private Hl7Samples() {
    }

    public static String msh(String app, String facility, String type, String controlId, String version, String extra) {
        return "MSH|^~\\&|" + app + "|" + facility + "|RADLOOP|RADLOOP|20260301101500||" + type + "|" + controlId + "|P|" + version + extra + "\r";
    }

    public static String stMarysMsh(String type, String controlId) {
        return msh("EPICRIS", "STMARYS", type, controlId, "2.5.1", "");
    }

    public static String pid(String mrn, String name, String dob) {
        return "PID|1||" + mrn + "^^^STMARYS^MR||" + name + "||" + dob + "|F\r";
    }

    public static String pv1() {
        return "PV1|1|O|RAD^CT1^01^STMARYS\r";
    }

    /** ORC + OBR for one order: control (NW/XO/CA/SC/DC), placer, procedure code, priority (S/A/R). */
    public static String order(String control, String placer, String code, String priority, String orderStatus) {
        return order(control, placer, code, priority, orderStatus, "Headache^Headache for 3 weeks");
    }

    /** The same with the reason for exam (OBR-31, as identifier^text) the test needs. */
    public static String order(String control, String placer, String code, String priority, String orderStatus,
                               String reasonForExam) {
        return "ORC|" + control + "|" + placer + "^EPICRIS|F" + placer + "^RADLOOP||" + orderStatus + "||^^^20260302090000^^" + priority
                + "||20260301101500|||1234^HOUSE^GREGORY\r"
                + "OBR|1|" + placer + "^EPICRIS|F" + placer + "^RADLOOP|" + code + "^Procedure " + code + "^L|||20260301101500"
                + "|||||||||1234^HOUSE^GREGORY||ACC" + placer + "|||||||||||||" + reasonForExam + "\r"
                + "DG1|1||R51^Headache^I10\r";
    }

    public static String orm(String controlId, String mrn, String placer, String control, String code, String priority) {
        return stMarysMsh("ORM^O01^ORM_O01", controlId) + pid(mrn, "DOE^JANE", "19800101") + pv1()
                + order(control, placer, code, priority, "SC");
    }
}
