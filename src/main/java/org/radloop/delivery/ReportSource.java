package org.radloop.delivery;

import java.util.Optional;

/**
 * Where the delivery stage reads a signed report from. The reporting stage's store implements it;
 * the delivery stage depends on nothing else of reporting.
 */
@FunctionalInterface
public interface ReportSource {

    /**
     * The signed version of the report that the {@code radloop.deliver} message names.
     *
     * @param reportId the id of the queue message ({@code {"kind":"report","id":...}})
     * @return the report as it is to be delivered, or empty when there is no signed report by that id
     */
    Optional<ReportForDelivery> find(String reportId);
}
