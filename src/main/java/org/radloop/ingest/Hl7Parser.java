package org.radloop.ingest;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.AbstractMessage;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.model.v251.message.ADT_A39;
import ca.uhn.hl7v2.model.v251.message.OMI_O23;
import ca.uhn.hl7v2.model.v251.message.ORM_O01;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.Locale;

/**
 * HAPI's pipe parser, set up once and shared by every connection (HAPI parsers are thread-safe once
 * configured). Every supported version is read into the v2.5.1 structures (HAPI's canonical model),
 * so one reader serves 2.3.1, 2.5 and 2.5.1; the message class is chosen from MSH-9 here rather
 * than from the sender's MSH-9.3, which RIS often leave out or get wrong.
 *
 * <p>HAPI's own validation is off: RadLoop checks what it needs itself and answers with precise
 * error locations, and it must not refuse a whole order over a field it never reads.
 */
final class Hl7Parser {

    private final ModelClassFactory classes = new CanonicalModelClassFactory("2.5.1");
    private final PipeParser parser;

    Hl7Parser() {
        HapiContext context = new DefaultHapiContext(classes);
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setValidating(false);
        parser = context.getPipeParser();
    }

    /** Checks MSH-9 against what RadLoop accepts; a refusal names table 0357 code 200 or 201. */
    static void checkSupported(MshHeader msh) throws Hl7Rejection {
        structureFor(msh);
    }

    private static String structureFor(MshHeader msh) throws Hl7Rejection {
        String code = msh.messageCode().toUpperCase(Locale.ROOT);
        String trigger = msh.triggerEvent() == null ? "" : msh.triggerEvent().toUpperCase(Locale.ROOT);
        switch (code) {
            case "ORM":
                if (trigger.equals("O01")) return "ORM_O01";
                break;
            case "OMI":
                if (trigger.equals("O23")) return "OMI_O23";
                break;
            case "ORU":
                if (trigger.equals("R01")) return "ORU_R01";
                break;
            case "ADT":
                if (trigger.equals("A01") || trigger.equals("A04") || trigger.equals("A08")) return "ADT_A01";
                if (trigger.equals("A40")) return "ADT_A39";
                break;
            default:
                throw Hl7Rejection.reject(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, ErrorLocation.of("MSH", 9, 1),
                        "message type " + msh.messageCode() + " is not accepted here (ORM^O01, OMI^O23, ORU^R01, ADT^A01/A04/A08/A40)");
        }
        throw Hl7Rejection.reject(ErrorCode.UNSUPPORTED_EVENT_CODE, ErrorLocation.of("MSH", 9, 2),
                "event " + msh.messageType() + " is not accepted here (ORM^O01, OMI^O23, ORU^R01, ADT^A01/A04/A08/A40)");
    }

    AbstractMessage parse(MshHeader msh, String text) throws Hl7Rejection, HL7Exception {
        AbstractMessage message = switch (structureFor(msh)) {
            case "ORM_O01" -> new ORM_O01(classes);
            case "OMI_O23" -> new OMI_O23(classes);
            case "ADT_A39" -> new ADT_A39(classes);
            case "ORU_R01" -> new ca.uhn.hl7v2.model.v251.message.ORU_R01(classes);
            default -> new ADT_A01(classes);
        };
        message.setParser(parser);
        parser.parse(message, text);
        return message;
    }
}
