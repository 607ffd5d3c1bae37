package org.radloop.demo;

/**
 * One simulated facility of the demo: its id, the identity its RIS and modalities use, and the
 * loopback port its simulated RIS listens on for the ORU^R01 results RadLoop delivers.
 */
record DemoFacility(String id, String name, String kind, String sendingApplication, String sendingFacility,
                    String ctAeTitle, String crAeTitle, int oruPort) {

    /** The facility file (conf/facilities/<id>.yaml) in the demo's own conf copy. */
    String yaml() {
        return """
                # Written by `radloop demo` (a simulated %s); not part of the project's conf/.
                id: %s
                name: %s
                timeZone: UTC
                hl7:
                  sendingApplications: [%s]
                  sendingFacilities: [%s]
                  version: "2.5.1"
                dicom:
                  callingAeTitles: [%s, %s]
                  studyQuietPeriodSeconds: 1
                codeMappings: codes/st-marys.yaml
                delivery:
                  - channel: hl7-oru
                    host: 127.0.0.1
                    port: %d
                    ackTimeoutSeconds: 10
                    retry: {maxAttempts: 5, initialDelaySeconds: 1, multiplier: 2, maxDelaySeconds: 10}
                """.formatted(kind, id, name, sendingApplication, sendingFacility, ctAeTitle, crAeTitle, oruPort);
    }
}
