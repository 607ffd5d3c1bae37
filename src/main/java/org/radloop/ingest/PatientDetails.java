package org.radloop.ingest;

import java.time.LocalDate;

/** Who a message is about, as PID (or MRG) says: an identifier within its assigning authority, plus demographics. */
record PatientDetails(String identifier, String authority, String familyName, String givenName,
                      LocalDate birthDate, String sex) {
}
