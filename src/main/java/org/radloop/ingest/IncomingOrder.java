package org.radloop.ingest;

import java.time.Instant;
import org.radloop.model.ImagingOrder;

/**
 * One ORC/OBR pair of an ORM^O01 or OMI^O23, in RadLoop's terms. Null means "the message did not
 * say", so that a change (XO) only overwrites what it carries.
 *
 * @param control the order control (ORC-1), normalised to NW, XO, CA, DC or SC
 * @param status  the order status the message states (ORC-5, else OBR-25), or null
 */
record IncomingOrder(String control, String placer, String filler, String accession,
                     String procedureCode, String procedureText, ImagingOrder.Priority priority,
                     String reasonForExam, String diagnosisCodes, String orderingProvider,
                     String patientClass, String patientLocation, Instant scheduledAt,
                     ImagingOrder.Status status) {
}
