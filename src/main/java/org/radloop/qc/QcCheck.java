package org.radloop.qc;

import java.util.List;

/** One quality rule over one report that has been read once ({@link ReportReading}). */
public interface QcCheck {
    List<Flag> check(ReportReading report);
}
